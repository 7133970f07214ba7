"""Files on a disk: t_files (tests/apps/t_files.c) runs every file service on an ext3 image
that Linux's mke2fs made from a directory, over IDE DMA, IDE PIO and the RAM disk under QEMU
and over ATA under Bochs; then the host judges the image with tools nobody here wrote:
`e2fsck -fn` must find it clean and `debugfs` must read back, byte for byte, what t_files
wrote.  The other way round, t_files prints a checksum of every file mke2fs put in, and the
host compares.  Besides: a full disk (ENOSPC, still consistent), a failing disk (QEMU
blkdebug: EIO, the OS goes on), a disk not labelled KLOS (not mounted, not written), images
the OS must refuse, and a boot with no disk at all."""
import functools
import os
import random
import re
import shutil
import struct
import subprocess
import tempfile

from .helpers import END, exited

FS_FORBID = [r'WRONG', r'KLOS-FAULT', r'not started', r'unmount failed', r'commit failed']


def pat(k, n, start=0):
    """t_files's pattern k: byte i is (i*7 + k*13 + (i >> 8)) mod 256."""
    return bytes((i * 7 + k * 13 + (i >> 8)) & 0xFF for i in range(start, start + n))


def fnv(b):
    h = 2166136261
    for x in b:
        h = ((h ^ x) * 16777619) & 0xFFFFFFFF
    return h


IN = {'in/small.txt': b'KLOS reads what Linux wrote.\n',
      'in/big.bin': pat(9, 300000),
      'in/sub/deep/x.bin': pat(10, 70000)}


def mkfs(size, label='KLOS', block=4096, files=IN, indexed=500, mode=None, feature=None):
    """An image builder for tests/run.py's disks: mke2fs -t ext3 -d from a directory."""
    def build(img):
        d = tempfile.mkdtemp(prefix='klos-fs.')
        try:
            for name, data in files.items():
                p = os.path.join(d, name)
                os.makedirs(os.path.dirname(p), exist_ok=True)
                with open(p, 'wb') as f:
                    f.write(data)
            if indexed:
                os.makedirs(os.path.join(d, 'in', 'indexed'), exist_ok=True)
                for i in range(indexed):
                    with open(os.path.join(d, 'in', 'indexed', 'f%d' % i), 'wb') as f:
                        f.write(b'%d\n' % i)
            if mode:
                with open(os.path.join(d, 'mode'), 'wb') as f:
                    f.write(mode.encode())
            subprocess.run(['mke2fs', '-q', '-F', '-t', 'ext3', '-b', str(block), '-L', label,
                            '-d', d, img, size], check=True, capture_output=True)
            if feature:
                subprocess.run(['debugfs', '-w', '-R', 'feature ' + feature, img], check=True,
                               capture_output=True)
        finally:
            shutil.rmtree(d, ignore_errors=True)
    return build


def e2fsck_clean(img):
    r = subprocess.run(['e2fsck', '-fn', img], capture_output=True, text=True)
    return r.returncode == 0, (r.stdout + r.stderr).strip().splitlines()[-3:]


def debugfs_cat(img, path):
    r = subprocess.run(['debugfs', '-R', 'cat ' + path, img], capture_output=True)
    return r.stdout


def judge_tour(images, lines):
    """After the tour: e2fsck -fn clean, what KLOS wrote read back by debugfs, and what
    mke2fs put in read by KLOS with the same checksums."""
    img = images['fs.img']
    ok, out = e2fsck_clean(img)
    if not ok:
        return False, 'e2fsck -fn: ' + ' | '.join(out)
    want = {'/out/keep': pat(7, 12345), '/out/r2': pat(2, 3000),
            '/out/a': pat(1, 1000) + bytes(8000), '/out/big': pat(6, 5 << 20)}
    for path, data in want.items():
        got = debugfs_cat(img, path)
        if got != data:
            return False, 'debugfs reads %s: %d bytes, not the %d KLOS wrote' % (
                path, len(got), len(data))
    for name, data in IN.items():
        line = 'files: in /%s size=%d fnv=%08x' % (name, len(data), fnv(data))
        if line not in lines:
            return False, 'KLOS did not read /%s as mke2fs wrote it (want "%s")' % (name, line)
    return True, ''


def judge_clean(images, lines):
    ok, out = e2fsck_clean(images['fs.img'])
    return ok, '' if ok else 'e2fsck -fn: ' + ' | '.join(out)


def kept(build):
    """build, and a copy of the image as built (NAME.ref) for judge_untouched."""
    def b(img):
        build(img)
        shutil.copyfile(img, img + '.ref')
    return b


def judge_untouched(images, lines):
    """The image must be byte for byte what it was before the boot: KLOS wrote nothing."""
    img = images['fs.img']
    with open(img, 'rb') as a, open(img + '.ref', 'rb') as b:
        same = a.read() == b.read()
    return same, '' if same else 'the disk was written'


def bad_sectors(path, at):
    """blkdebug rules failing every read of the 512-byte sectors of file block `at' of path
    (4096-byte blocks), found with debugfs's bmap."""
    def rules(img):
        r = subprocess.run(['debugfs', '-R', 'bmap %s %d' % (path, at), img], check=True,
                           capture_output=True, text=True)
        blk = int(r.stdout.split()[0])
        return [dict(event='read_aio', errno=5, sector=blk * 8 + s, once='off')
                for s in range(8)]
    return rules


TOUR = [r'^KLOS: fs: ata0 mounted on /: ext3, 4096-byte blocks']
RAMTOUR = [r'^KLOS: fs: ram0 mounted on /: ext3, 4096-byte blocks']
DONE = [r'^files: all ok$', exited('t_files', 1, 0), r'^KLOS: fs: unmounted, every change on '
        r'the disk$', END]
MB = 1 << 20


def disk(build, attach='ide0', **kw):
    return [dict(name='fs.img', attach=attach, image=build, **kw)]


TESTS = [
    dict(name='files-ide-dma', emu='qemu', cmdline='', modules=['t_files'], timeout=120,
         disks=disk(mkfs('64M')), expect=TOUR + [r'^KLOS: ata0: .*, DMA$'] + DONE,
         forbid=FS_FORBID, after=judge_tour),
    dict(name='files-ide-pio', emu='qemu', cmdline='ata=pio', modules=['t_files'], timeout=120,
         disks=disk(mkfs('64M')), expect=TOUR + [r'^KLOS: ata0: .*, PIO$'] + DONE,
         forbid=FS_FORBID, after=judge_tour),
    # The RAM disk: the image is a GRUB module (disk=NAME), read-write in memory; the host
    # judges the image as it went in (untouched) -- the changes live in RAM only.
    dict(name='files-ramdisk', emu='qemu', cmdline='disk=fs.img', modules=['t_files'],
         qemu_args=['-m', '128'], timeout=120, disks=disk(mkfs('32M'), attach='module'),
         expect=RAMTOUR + DONE, forbid=FS_FORBID),
    dict(name='files-bochs', emu='bochs', cmdline='', modules=['t_files'], timeout=600,
         disks=disk(mkfs('64M')), expect=TOUR + DONE, forbid=FS_FORBID, after=judge_tour,
         task='the same services as files-ide-dma-task, which runs under QEMU'),
    # A full disk: ENOSPC, then the file system goes on and is clean.
    dict(name='files-enospc', emu='qemu', cmdline='', modules=['t_files'], timeout=120,
         disks=disk(mkfs('8M', block=1024, indexed=0, mode='fill')),
         expect=[r'^files: wrote \d+ bytes before the disk was full$', r'^files: enospc ok$',
                 r'^files: still-works ok$'] + DONE, forbid=FS_FORBID, after=judge_clean),
    # A disk that fails under a read: EIO to the app, a line on the console, the OS goes on.
    dict(name='files-eio', emu='qemu', cmdline='', modules=['t_files', 'hello'], timeout=120,
         disks=disk(mkfs('64M', indexed=0, mode='eio'),
                    blkdebug=bad_sectors('/in/big.bin', 40)),
         expect=[r'^files: eio ok$', r'^KLOS: ata0: .*error', exited('t_files', 1, 0),
                 r'^hello from pid 2 via Design B$', END],
         forbid=[r'WRONG', r'KLOS-FAULT', r'PANIC']),
]

# Never a disk that is not KLOS's: one labelled otherwise is neither mounted nor written.
_OTHER = kept(mkfs('16M', label='OWNER', indexed=0))
TESTS.append(dict(
    name='files-not-ours', emu='qemu', cmdline='', modules=['hello'], disks=disk(_OTHER),
    expect=[r'^KLOS: fs: no disk with a file system labelled KLOS: no files this time',
            r'^hello from pid 1 via Design B$', END],
    forbid=[r'mounted on /'], after=judge_untouched))
# ... unless the command line names it.
TESTS.append(dict(
    name='files-root-named', emu='qemu', cmdline='root=ata0', modules=['hello'],
    disks=disk(mkfs('16M', label='OWNER', indexed=0)),
    expect=[r'^KLOS: fs: ata0 mounted on /', r'^KLOS: fs: unmounted', END],
    forbid=[r'unknown command-line option'], after=judge_clean))
# No disk at all: one line, and the OS runs on.
TESTS.append(dict(
    name='files-no-disk', emu='qemu', cmdline='', modules=['hello'],
    expect=[r'^KLOS: fs: no disk with a file system labelled KLOS: no files this time',
            r'^hello from pid 1 via Design B$', END]))
# The ext2 rules for features: an unknown INCOMPAT one refuses the mount, naming it; an
# unknown RO_COMPAT one mounts read-only.  Neither image is written.
_INCOMPAT = kept(mkfs('16M', indexed=0, feature='extent'))
TESTS.append(dict(
    name='files-incompat', emu='qemu', cmdline='', modules=['hello'], disks=disk(_INCOMPAT),
    expect=[r'(?i)incompat.*(extent|0x40)', r'^KLOS: fs: ata0 not mounted', END],
    forbid=[r'mounted on /'], after=judge_untouched))

# ---- real power cuts ------------------------------------------------------------------------
# t_files's cut mode (/mode = "cut SEED") runs a seeded loop of creates, writes, appends,
# truncates, renames, unlinks and fsyncs, one line "cut: op N ..." before every call and
# "cut: synced N PATH size=S fnv=H" after every fsync that returned; tests/run.py's cut key
# kills QEMU (SIGKILL) after a seeded number of op lines and a seeded delay.  Then KLOS's own
# code (build/unit/test_fs_crash --mount, the host build of os/fs/) mounts the image -- journal
# replay, orphans -- and lists it; the tree must be the state after some operation from the
# last returned fsync's on (every fsynced file intact; no file holds bytes it never had: a
# file's contents are pattern ID up to its size, ID known from the op lines), and after KLOS's
# umount e2fsck -fn must be clean.  Linux's replay (e2fsck -fy on the cut image as QEMU left
# it) must be clean too.  KLOS_CUTS=N makes N of them (make crash: 100).
CUT_OP = re.compile(r'^cut: op (\d+) (\w+) (.*)$')
CUT_SYNC = re.compile(r'^cut: synced (\d+) (\S+) size=(\d+) fnv=([0-9a-f]{8})$')
UNIT = os.path.join(os.environ.get('KLOS_BUILD_DIR', os.path.join(
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), 'build')),
    'unit', 'test_fs_crash')


@functools.lru_cache(maxsize=4096)
def pat_fnv(k, n):
    return fnv(pat(k, n))


def cut_states(ops):
    """The model's state after each prefix of ops: {path: 'dir' or (id, size)}."""
    st = {}
    out = [dict(st)]
    for n, kind, args in ops:
        a = args.split()
        kv = dict(x.split('=', 1) for x in a if '=' in x)
        if kind == 'mkdir':
            st[a[0]] = 'dir'
        elif kind == 'create':
            st[a[0]] = (int(kv['id']), 0)
        elif kind in ('write', 'append'):
            i, size = st[a[0]]
            off = size if kind == 'append' else int(kv['off'])
            st[a[0]] = (i, max(size, off + int(kv['len'])))
        elif kind == 'truncate':
            st[a[0]] = (st[a[0]][0], int(kv['size']))
        elif kind == 'rename':
            st[a[1]] = st.pop(a[0])
        elif kind == 'unlink':
            del st[a[0]]
        elif kind != 'fsync':
            raise ValueError('unknown op ' + kind)
        out.append(dict(st))
    return out


def cut_diff(state, found):
    """The differences between a model state and what KLOS found, as text."""
    diff = []
    for p in sorted(set(state) | set(found)):
        want, got = state.get(p), found.get(p)
        if want is None or got is None:
            diff.append('%s %s' % (p, 'missing' if got is None else 'not in the model'))
        elif want == 'dir' or got == 'dir':
            if want != got:
                diff.append('%s: kind' % p)
        elif got[0] != want[1]:
            diff.append('%s: size %d, not %d' % (p, got[0], want[1]))
        elif got[1] != pat_fnv(want[0], want[1]):
            diff.append('%s: %d bytes it never had (fnv %08x)' % (p, got[0], got[1]))
    return diff


def dm_log(path):
    """The entries of a dm-log-writes log (QEMU's blklogwrites; tests/unit/fs/fshost.c reads
    the same): [(lba, data)] for a write, None for a flush (FUA: the write, then None).  A log
    cut short by the kill ends at its last whole entry."""
    with open(path, 'rb') as f:
        p = f.read()
    if len(p) < 512 or struct.unpack_from('<QQ', p) != (0x6a736677736872, 1):
        return None
    out, off = [], 512
    while off + 512 <= len(p):
        sector, nr, flags = struct.unpack_from('<QQQ', p, off)
        if flags & ~15:
            break
        off += 512
        if nr and not flags & 12:
            if nr > (len(p) - off) // 512:
                break
            out.append((sector, p[off:off + nr * 512]))
            off += nr * 512
        if flags & 3:
            out.append(None)
    return out


def cache_image(start, log, dst, seed):
    """The disk after a power cut with a volatile write cache: the writes before the last flush
    are on it; each one after it is there (1/2), lost (1/4) or torn sector by sector (1/4)."""
    last = max([i for i, e in enumerate(log) if e is None], default=-1)
    rng = random.Random(seed)
    shutil.copyfile(start, dst)
    with open(dst, 'r+b') as f:
        for i, e in enumerate(log):
            if e is None:
                continue
            x = 0 if i < last else rng.randrange(4)
            for s in range(len(e[1]) // 512):
                if x < 2 or (x == 3 and rng.randrange(2)):
                    f.seek((e[0] + s) * 512)
                    f.write(e[1][s * 512:(s + 1) * 512])


def judge_disk(path, ops, synced, states, durable):
    """KLOS recovers the image at path; (None, state index) when it holds a state from
    durable on and e2fsck -fn is clean after KLOS's umount, else (why, None)."""
    r = subprocess.run([UNIT, '--mount', path], capture_output=True, text=True)
    if r.returncode != 0:
        said = [l for l in r.stdout.splitlines() if l.startswith('mount:')] or [
            'exit status %d %s' % (r.returncode, r.stderr.strip()[-200:])]
        return 'KLOS did not mount it: ' + said[-1], None
    found = {}
    for l in r.stdout.splitlines():
        w = l.split()
        if len(w) >= 2 and w[1].startswith('/cut'):
            found[w[1]] = 'dir' if w[0] == 'dir' else (int(w[2][5:]), int(w[3][4:], 16))
    match, best = None, None
    for j in range(durable, len(states)):
        d = cut_diff(states[j], found)
        if not d:
            match = j
            break
        if best is None or len(d) < len(best[1]):
            best = (j, d)
    if match is None:
        return ('after %d ops (the last returned fsync at op %d) no state from op %d on '
                'matches; nearest after op %d: %s' % (len(ops), durable, durable, best[0],
                                                      '; '.join(best[1][:4]))), None
    # the synced files themselves: each as its fsync line says, unless a later op touched it
    for n, p, size, h in synced:
        later = [o for o in ops[int(n) + 1:match] if p in o[2].split()]
        if not later and found.get(p) != (int(size), int(h, 16)):
            return '%s not as fsynced at op %s' % (p, n), None
    ok, out = e2fsck_clean(path)
    if not ok:
        return 'e2fsck -fn after KLOS recovered and unmounted: ' + ' | '.join(out), None
    return None, match


CACHE_IMAGES = 3


def judge_cut(images, lines):
    img = images['fs.img']
    log = os.path.join(os.path.dirname(os.path.dirname(img)),
                       os.path.basename(os.path.dirname(img))[:-len('.disks')] + '.log')
    with open(log, 'rb') as f:
        text = f.read().decode('utf-8', 'replace')
    # a line cut short by the kill is dropped: its call was never made
    full = text.split('\n')[:-1]
    ops, synced = [], []
    for l in full:
        l = l.replace('\r', '').rstrip()
        m = CUT_OP.match(l)
        if m:
            if int(m.group(1)) != len(ops):
                return False, 'op lines out of order at %s' % l
            ops.append((int(m.group(1)), m.group(2), m.group(3)))
        m = CUT_SYNC.match(l)
        if m:
            synced.append(m.groups())
    states = cut_states(ops)
    durable = int(synced[-1][0]) if synced else 0
    rec = img + '.klos'
    shutil.copyfile(img, rec)
    why, j = judge_disk(rec, ops, synced, states, durable)
    if why:
        return False, 'the disk as QEMU left it: ' + why
    # Linux's own journal replay of the image as the cut left it
    lx = img + '.linux'
    shutil.copyfile(img, lx)
    st = subprocess.run(['e2fsck', '-fy', lx], capture_output=True).returncode
    ok, out = e2fsck_clean(lx)
    if st > 1 or not ok:
        return False, 'Linux replaying the cut image: e2fsck -fy exit %d, then %s' % (
            st, ' | '.join(out))
    note = ('cut after %d ops, %d fsyncs returned (last at op %d); the disk holds the state '
            'after op %d' % (len(ops), len(synced), durable, j))
    # the disk's volatile cache: images from the writes QEMU logged (blklogwrites)
    if os.path.exists(img + '.dmlog'):
        dl = dm_log(img + '.dmlog')
        if not dl:
            return False, 'no blklogwrites log'
        held = []
        for seed in range(1, CACHE_IMAGES + 1):
            ci = img + '.cache%d' % seed
            cache_image(img + '.start', dl, ci, '%s:%d' % (img, seed))
            why, cj = judge_disk(ci, ops, synced, states, durable)
            if why:
                return False, 'volatile cache image %d (%d writes logged): %s' % (
                    seed, sum(1 for e in dl if e), why)
            held.append(cj)
        note += '; %d volatile-cache images from %d logged writes and %d flushes hold ops %s' % (
            CACHE_IMAGES, sum(1 for e in dl if e), dl.count(None), held)
    with open(os.path.join(os.path.dirname(img), 'judged'), 'w') as f:
        f.write(note + '\n')
    return True, ''


def cut_test(i):
    unsafe = i % 2 == 1
    t = dict(name='files-cut-%02d' % i, emu='qemu', cmdline='', modules=['t_files'],
             timeout=90, disks=disk(mkfs('16M', block=1024 if i % 3 == 2 else 4096,
                                             files={}, indexed=0, mode='cut %d' % i),
                                        cache='unsafe' if unsafe else None,
                                        blklogwrites=not unsafe),
             cut=dict(after=r'^cut: op ', count=(5, 300), ms=(0, 300), seed=i),
             expect=[r'^KLOS: fs: ata0 mounted on /', r'^cut: op 1 mkdir'],
             forbid=FS_FORBID, after=judge_cut)
    if i % 5:
        t['task'] = 'one cut in five also runs with events=task (the time budget)'
    return t


CUTS = int(os.environ.get('KLOS_CUTS', '20'))
TESTS += [cut_test(i) for i in range(1, CUTS + 1)]


# ---- bad input at boot ----------------------------------------------------------------------
# A few seeded corrupt images (the host fuzzer, test_fs_fuzz, runs hundreds): random bytes in
# the superblock, the group descriptors, an inode, a directory, an indirect block and the
# journal's superblock (with recovery pending).  t_fswalk reads everything and tries a change;
# each must end in a clear line -- the mount refused, or the error (EIO, EUCLEAN) to the app
# with the OS's "corrupt" line -- and the OS ending as usual: never a fault or a hang.
def _debugfs(img, req):
    return subprocess.run(['debugfs', '-R', req, img], check=True, capture_output=True,
                          text=True).stdout


def _where(img, region):
    """(first byte, length) of a region of the image (4096-byte blocks)."""
    if region == 'super':
        return 1024, 256
    if region == 'gdt':
        return 4096, 32
    if region == 'inode':
        m = re.search(r'located at block (\d+), offset 0x([0-9a-f]+)', _debugfs(img, 'imap /in'))
        return int(m.group(1)) * 4096 + int(m.group(2), 16), 128
    if region == 'dir':
        return int(_debugfs(img, 'bmap /in 0').split()[0]) * 4096, 64     # its first entries
    if region == 'indirect':
        return int(re.search(r'\(IND\):(\d+)', _debugfs(img, 'stat /in/big.bin')).group(1)) * 4096, 4096
    if region == 'journal':
        return int(_debugfs(img, 'bmap <8> 0').split()[0]) * 4096, 64
    raise ValueError(region)


def corrupt(region, seed, nbytes=24):
    base = mkfs('16M', indexed=40)

    def build(img):
        base(img)
        if region == 'journal':       # recovery pending: the mount must read this journal
            subprocess.run(['debugfs', '-w', '-R', 'feature needs_recovery', img], check=True,
                           capture_output=True)
        at, n = _where(img, region)
        rng = random.Random('%s:%d' % (region, seed))
        with open(img, 'r+b') as f:
            for _ in range(nbytes):
                f.seek(at + rng.randrange(n))
                f.write(bytes([rng.randrange(256)]))
    return build


BAD_FORBID = [r'KLOS-FAULT', r'not started', r'PANIC']
CORRUPT = r'^fs: ata0: (corrupt|journal)'
BAD_END = [exited('t_fswalk', 1, 0), END]
REFUSED = r'^KLOS: fs: ata0 not mounted \(error -\d+\)'
WALKED = r'^fswalk: done dirs=\d+ files=\d+ errors=[1-9]'
for region, seed, outcome in [('super', 1, REFUSED), ('gdt', 1, REFUSED), ('inode', 1, WALKED),
                              ('dir', 1, WALKED), ('indirect', 1, WALKED),
                              ('journal', 1, REFUSED)]:
    TESTS.append(dict(
        name='files-bad-%s' % region, emu='qemu', cmdline='root=ata0', modules=['t_fswalk'],
        timeout=60, disks=disk(corrupt(region, seed)), expect=[CORRUPT, outcome] + BAD_END,
        forbid=BAD_FORBID, task='the same image as files-bad-%s; events=task changes no '
        'file system code' % region))
