/* Mount and umount: the superblock and group descriptors checked against
 * each other and the device, the feature rules (an unknown INCOMPAT bit
 * refuses the mount, an unknown RO_COMPAT bit mounts read-only, each with a
 * line naming the feature), journal recovery, the orphan list.  Also what
 * is metadata (never a file's block), and statfs. */
#include "fsint.h"

struct fname { uint32_t bit; const char *name; };

static const struct fname incompat_names[] = {
    {0x1, "compression"}, {0x2, "filetype"}, {0x4, "needs_recovery"}, {0x8, "journal_dev"},
    {0x10, "meta_bg"}, {0x40, "extent"}, {0x80, "64bit"}, {0x100, "mmp"}, {0x200, "flex_bg"},
    {0x400, "ea_inode"}, {0x1000, "dirdata"}, {0x2000, "metadata_csum_seed"},
    {0x4000, "large_dir"}, {0x8000, "inline_data"}, {0x10000, "encrypt"},
    {0x20000, "casefold"}, {0, 0},
};
static const struct fname ro_compat_names[] = {
    {0x1, "sparse_super"}, {0x2, "large_file"}, {0x4, "btree_dir"}, {0x8, "huge_file"},
    {0x10, "uninit_bg"}, {0x20, "dir_nlink"}, {0x40, "extra_isize"}, {0x80, "has_snapshot"},
    {0x100, "quota"}, {0x200, "bigalloc"}, {0x400, "metadata_csum"}, {0x800, "replica"},
    {0x1000, "read-only"}, {0x2000, "project"}, {0x4000, "shared_blocks"}, {0x8000, "verity"},
    {0x10000, "orphan_present"}, {0, 0},
};

static const char *feature_name(const struct fname *t, uint32_t bit)
{
    for (; t->bit; t++)
        if (t->bit == bit)
            return t->name;
    return "unknown";
}

/* Logs the first feature of set that is not in known; returns it, or 0. */
static uint32_t unknown_feature(struct fs *fs, const char *kind, const struct fname *t,
                                uint32_t set, uint32_t known, const char *then)
{
    uint32_t u = set & ~known;
    if (!u)
        return 0;
    uint32_t bit = u & -u;
    FS_LOG("fs: %s: unsupported %s feature %s (0x%x)%s: %s", fs->dev->name, kind,
           feature_name(t, bit), bit, (u & ~bit) ? " and more" : "", then);
    return bit;
}

int fs_corrupt(struct fs *fs, const char *what, uint32_t ino, uint32_t val)
{
    if (ino)
        FS_LOG("fs: %s: corrupt: %s (inode %u, value %u)", fs->dev->name, what, ino, val);
    else
        FS_LOG("fs: %s: corrupt: %s (%u)", fs->dev->name, what, val);
    return -EUCLEAN;
}

static uint32_t log2u(uint32_t v)
{
    uint32_t s = 0;
    while ((1u << s) < v)
        s++;
    return s;
}

int group_has_super(struct fs *fs, uint32_t g)
{
    if (g <= 1 || !(fs->ro_compat & EXT2_RO_COMPAT_SPARSE_SUPER))
        return 1;
    if (!(g & 1))
        return 0;
    for (uint32_t p = 3; p <= 7; p += 2) {     /* a power of 3, 5 or 7 */
        uint32_t x = g;
        while (x % p == 0)
            x /= p;
        if (x == 1)
            return 1;
    }
    return 0;
}

struct buf *gd_buf(struct fs *fs, uint32_t g)
{
    return fs->gdb[g >> fs->gdpb_shift];
}

struct ext2_gd *gd_get(struct fs *fs, uint32_t g)
{
    return (struct ext2_gd *)fs->gdb[g >> fs->gdpb_shift]->data + (g & (fs->gdpb - 1));
}

/* Superblock, descriptors and reserved descriptor blocks of a group with a
 * backup, bitmaps, inode table, journal, the resize inode's block. */
int blk_is_meta(struct fs *fs, uint32_t b)
{
    if (b < fs->first_data || b >= fs->nblocks)
        return 1;
    uint32_t g = (b - fs->first_data) / fs->bpg;
    uint32_t off = b - fs->first_data - g * fs->bpg;
    if (off < 1 + fs->ngdb + fs->resv_gdt && group_has_super(fs, g))
        return 1;
    struct ext2_gd *d = gd_get(fs, g);
    if (b == d->bg_block_bitmap || b == d->bg_inode_bitmap || b - d->bg_inode_table < fs->itb)
        return 1;
    return b == fs->resize_dind || j_owns(fs, b);
}

int fsblk_check(struct fs *fs, uint32_t b, const char *what, uint32_t ino)
{
    if (b >= fs->nblocks || blk_is_meta(fs, b))
        return fs_corrupt(fs, what, ino, b);
    return 0;
}

/* The superblock's geometry, checked against itself and the device. */
static int sb_geometry(struct fs *fs, const struct ext2_super *s)
{
    const char *name = fs->dev->name;
    if (s->s_magic != EXT2_MAGIC) {
        FS_LOG("fs: %s: no ext2 superblock (magic 0x%x)", name, s->s_magic);
        return -EINVAL;
    }
    if (s->s_log_block_size > 2) {
        FS_LOG("fs: %s: block size 1024 << %u not supported (1, 2 or 4 KiB)", name, s->s_log_block_size);
        return -EINVAL;
    }
    if (s->s_rev_level > 1) {
        FS_LOG("fs: %s: ext2 revision %u not supported", name, s->s_rev_level);
        return -EINVAL;
    }
    fs->bsize = 1024u << s->s_log_block_size;
    fs->bshift = 10 + s->s_log_block_size;
    fs->spb_shift = fs->bshift - 9;
    fs->ppb = fs->bsize / 4;
    fs->ppb_shift = fs->bshift - 2;
    fs->nblocks = s->s_blocks_count;
    fs->ninodes = s->s_inodes_count;
    fs->first_data = s->s_first_data_block;
    fs->bpg = s->s_blocks_per_group;
    fs->ipg = s->s_inodes_per_group;
    if (s->s_rev_level == 0) {
        fs->isize = EXT2_GOOD_OLD_INODE_SIZE;
        fs->first_ino = EXT2_GOOD_OLD_FIRST_INO;
        fs->compat = fs->incompat = fs->ro_compat = 0;
    } else {
        fs->isize = s->s_inode_size;
        fs->first_ino = s->s_first_ino;
        fs->compat = s->s_feature_compat;
        fs->incompat = s->s_feature_incompat;
        fs->ro_compat = s->s_feature_ro_compat;
    }
    const char *bad = 0;
    if (fs->first_data != (fs->bsize == 1024 ? 1u : 0u))
        bad = "first data block";
    else if (fs->bpg < 8 || fs->bpg > 8 * fs->bsize || fs->bpg % 8)
        bad = "blocks per group";
    else if (fs->isize < 128 || fs->isize > fs->bsize || (fs->isize & (fs->isize - 1)))
        bad = "inode size";
    else if (fs->ipg == 0 || fs->ipg > 8 * fs->bsize || (fs->ipg * fs->isize) % fs->bsize)
        bad = "inodes per group";
    else if (fs->nblocks <= fs->first_data + 1)
        bad = "block count";
    else if (((uint64_t)fs->nblocks << fs->spb_shift) > fs->dev->nsect)
        bad = "block count larger than the device";
    if (bad) {
        FS_LOG("fs: %s: corrupt superblock: %s", name, bad);
        return -EUCLEAN;
    }
    fs->ngroups = (fs->nblocks - fs->first_data + fs->bpg - 1) / fs->bpg;
    fs->ipb = fs->bsize / fs->isize;
    fs->itb = fs->ipg / fs->ipb;
    fs->gdpb = fs->bsize / sizeof(struct ext2_gd);
    fs->gdpb_shift = log2u(fs->gdpb);
    fs->ngdb = (fs->ngroups + fs->gdpb - 1) / fs->gdpb;
    fs->resv_gdt = (fs->compat & EXT2_COMPAT_RESIZE_INODE) ? s->s_reserved_gdt_blocks : 0;
    if ((uint64_t)fs->ngroups * fs->ipg != fs->ninodes)
        bad = "inode count";
    else if (fs->first_ino < EXT2_GOOD_OLD_FIRST_INO || fs->first_ino >= fs->ninodes)
        bad = "first inode";
    else if (fs->ngdb > FS_PAGE / sizeof(struct buf *) || fs->resv_gdt > fs->ppb ||
             1 + fs->ngdb + fs->resv_gdt + 3 + fs->itb > fs->bpg)
        bad = "descriptor blocks";
    if (bad) {
        FS_LOG("fs: %s: corrupt superblock: %s", name, bad);
        return -EUCLEAN;
    }
    /* i_blocks counts 512-byte units in 32 bits: 2 TiB less the map */
    uint64_t maxb = EXT2_NDIR + (uint64_t)fs->ppb + (uint64_t)fs->ppb * fs->ppb +
                    (uint64_t)fs->ppb * fs->ppb * fs->ppb;
    if (maxb > (0xFFFFFFFFull >> fs->spb_shift) - 4 * fs->ppb)
        maxb = (0xFFFFFFFFull >> fs->spb_shift) - 4 * fs->ppb;
    fs->maxsize = maxb << fs->bshift;
    if (!(fs->ro_compat & EXT2_RO_COMPAT_LARGE_FILE))
        fs->maxsize = 0x7FFFFFFF;
    return 0;
}

/* Every group's bitmaps and inode table inside the group, after its
 * superblock and descriptors, not overlapping; counts in range. */
static int gd_check(struct fs *fs)
{
    uint64_t fb = 0, fi = 0;
    for (uint32_t g = 0; g < fs->ngroups; g++) {
        struct ext2_gd *d = gd_get(fs, g);
        uint32_t start = fs->first_data + g * fs->bpg;
        uint32_t end = g == fs->ngroups - 1 ? fs->nblocks : start + fs->bpg;
        uint32_t lo = start + (group_has_super(fs, g) ? 1 + fs->ngdb + fs->resv_gdt : 0);
        uint32_t bb = d->bg_block_bitmap, ib = d->bg_inode_bitmap, it = d->bg_inode_table;
        const char *bad = 0;
        if (bb < lo || bb >= end)
            bad = "block bitmap outside its group";
        else if (ib < lo || ib >= end || ib == bb)
            bad = "inode bitmap outside its group";
        else if (it < lo || it > end || end - it < fs->itb || bb - it < fs->itb || ib - it < fs->itb)
            bad = "inode table outside its group";
        else if (d->bg_free_blocks_count > end - start || d->bg_free_inodes_count > fs->ipg ||
                 d->bg_used_dirs_count > fs->ipg)
            bad = "descriptor counts";
        if (bad) {
            FS_LOG("fs: %s: corrupt group descriptor %u: %s", fs->dev->name, g, bad);
            return -EUCLEAN;
        }
        fb += d->bg_free_blocks_count;
        fi += d->bg_free_inodes_count;
    }
    struct ext2_super *s = fs->sb;
    if (fb != s->s_free_blocks_count || fi != s->s_free_inodes_count) {
        /* Linux keeps these loosely; the descriptors are the truth */
        if (!fs->rdonly)
            FS_LOG("fs: %s: superblock free counts %u/%u, descriptors say %u/%u: using the descriptors",
                   fs->dev->name, s->s_free_blocks_count, s->s_free_inodes_count, (uint32_t)fb, (uint32_t)fi);
        s->s_free_blocks_count = fb;
        s->s_free_inodes_count = fi;
    }
    return 0;
}

/* Reads one inode straight from the disk (before the cache exists). */
static int raw_inode(struct fs *fs, uint32_t ino, uint8_t *scratch, struct ext2_inode *out)
{
    uint32_t g = (ino - 1) / fs->ipg, i = (ino - 1) % fs->ipg;
    uint32_t gdblock = fs->first_data + 1 + (g >> fs->gdpb_shift);
    int r = dev_read_block(fs, gdblock, scratch);
    if (r < 0)
        return r;
    uint32_t it = ((struct ext2_gd *)scratch)[g & (fs->gdpb - 1)].bg_inode_table;
    uint32_t blk = it + i / fs->ipb;
    if (it < fs->first_data || blk >= fs->nblocks)
        return fs_corrupt(fs, "inode table of the journal's group", 0, it);
    if ((r = dev_read_block(fs, blk, scratch)) < 0)
        return r;
    memcpy(out, scratch + (i % fs->ipb) * fs->isize, sizeof *out);
    return 0;
}

/* Phase 1: the superblock as on the disk, the journal found and replayed. */
static int mount_journal(struct fs *fs, int flags, uint8_t *scratch)
{
    int r = fs->dev->read(fs->dev, EXT2_SB_OFFSET / BLK_SECTOR, 2, scratch);
    if (r < 0) {
        FS_LOG("fs: %s: cannot read the superblock (%d)", fs->dev->name, r);
        return -EIO;
    }
    struct ext2_super *s = (struct ext2_super *)scratch;
    if ((r = sb_geometry(fs, s)) < 0)
        return r;
    if (unknown_feature(fs, "incompat", incompat_names, fs->incompat, EXT2_KNOWN_INCOMPAT, "not mounted"))
        return -EINVAL;
    if (unknown_feature(fs, "ro_compat", ro_compat_names, fs->ro_compat, EXT2_KNOWN_RO_COMPAT,
                        "mounted read-only"))
        fs->rdonly = 1;
    if (fs->dev->readonly || (flags & FS_MOUNT_RDONLY))
        fs->rdonly = 1;
    int recover = (fs->incompat & EXT3_INCOMPAT_RECOVER) != 0;
    if (!(fs->compat & EXT3_COMPAT_HAS_JOURNAL)) {
        if (recover) {
            FS_LOG("fs: %s: needs_recovery without a journal: not mounted", fs->dev->name);
            return -EUCLEAN;
        }
        if (!fs->rdonly)
            FS_LOG("fs: %s: no journal: mounted read-only", fs->dev->name);
        fs->rdonly = 1;
        return 0;
    }
    uint32_t jino = s->s_journal_inum;
    if (jino == 0 || jino > fs->ninodes || jino >= fs->first_ino || s->s_journal_dev) {
        FS_LOG("fs: %s: external or missing journal (inode %u): %s", fs->dev->name, jino,
               recover ? "not mounted" : "mounted read-only");
        if (recover)
            return -EINVAL;
        fs->rdonly = 1;
        return 0;
    }
    struct ext2_inode ji;
    if ((r = raw_inode(fs, jino, scratch, &ji)) < 0)
        return r;
    r = j_load(fs, &ji, scratch);
    if (r < 0) {
        if (recover || r == -EIO) {
            FS_LOG("fs: %s: the journal cannot be used: not mounted", fs->dev->name);
            return r;
        }
        FS_LOG("fs: %s: the journal cannot be used: mounted read-only", fs->dev->name);
        fs->rdonly = 1;
        return 0;
    }
    if (recover || be32_get(fs->j.jsb + JSB_START)) {
        if (fs->dev->readonly) {
            FS_LOG("fs: %s: the journal needs recovery and the device is read-only: not mounted",
                   fs->dev->name);
            return -EROFS;
        }
        if ((r = j_recover(fs, 1)) < 0)
            return r;
        if (fs->rdonly && recover) {
            /* replayed for a read-only mount: the journal is empty, say so */
            if ((r = fs->dev->read(fs->dev, EXT2_SB_OFFSET / BLK_SECTOR, 2, scratch)) < 0)
                return -EIO;
            s->s_feature_incompat &= ~EXT3_INCOMPAT_RECOVER;
            if (fs->dev->write(fs->dev, EXT2_SB_OFFSET / BLK_SECTOR, 2, scratch) < 0 || dev_flush(fs) < 0)
                return -EIO;
        }
    }
    return 0;
}

static void fs_free(struct fs *fs)
{
    if (fs->root)
        iput(fs->root);
    dc_drop(fs);
    icache_drop(fs);
    bc_free(fs);
    j_close(fs);
    if (fs->gdb)
        fs_page_free(fs->gdb);
    fs_page_free(fs);
}

int fs_mount(struct blkdev *dev, int flags, uint32_t cache_kib, struct fs **out)
{
    _Static_assert(sizeof(struct fs) <= FS_PAGE, "struct fs fits a page");
    struct fs *fs = fs_page_alloc();
    uint8_t *scratch = fs_page_alloc();
    int r = -ENOMEM;
    *out = 0;
    if (!fs || !scratch)
        goto fail;
    fs->dev = dev;
    fs->j.ttail = &fs->j.thead;
    if ((r = mount_journal(fs, flags, scratch)) < 0)
        goto fail;
    struct fs geo = *fs;                 /* phase 2 must find the same geometry */

    uint32_t nbuf = (cache_kib << 10) >> fs->bshift;
    if (nbuf < 64)
        nbuf = 64;
    if ((r = bc_init(fs, nbuf)) < 0)
        goto fail;
    uint32_t sbblk = EXT2_SB_OFFSET >> fs->bshift;
    if ((r = bread(fs, sbblk, &fs->sbb)) < 0)
        goto fail;
    fs->sb = (struct ext2_super *)(fs->sbb->data + (EXT2_SB_OFFSET & (fs->bsize - 1)));
    if ((r = sb_geometry(fs, fs->sb)) < 0)
        goto fail;
    if (fs->bsize != geo.bsize || fs->nblocks != geo.nblocks || fs->ninodes != geo.ninodes ||
        fs->bpg != geo.bpg || fs->ipg != geo.ipg || fs->isize != geo.isize ||
        fs->resv_gdt != geo.resv_gdt || ((fs->incompat ^ geo.incompat) & ~EXT3_INCOMPAT_RECOVER) ||
        fs->ro_compat != geo.ro_compat || fs->compat != geo.compat) {
        FS_LOG("fs: %s: the superblock changed in journal replay: not mounted", dev->name);
        r = -EUCLEAN;
        goto fail;
    }
    if (!(fs->gdb = fs_page_alloc())) {
        r = -ENOMEM;
        goto fail;
    }
    for (uint32_t i = 0; i < fs->ngdb; i++)
        if ((r = bread(fs, fs->first_data + 1 + i, &fs->gdb[i])) < 0)
            goto fail;
    if ((r = gd_check(fs)) < 0)
        goto fail;
    if (fs->compat & EXT2_COMPAT_RESIZE_INODE) {
        struct ext2_inode ri;
        if (raw_inode(fs, EXT2_RESIZE_INO, scratch, &ri) == 0 && ri.i_block[EXT2_DIND] < fs->nblocks)
            fs->resize_dind = ri.i_block[EXT2_DIND];
    }
    if (fs->sb->s_state & EXT2_ERROR_FS)
        FS_LOG("fs: %s: the file system has errors recorded (run e2fsck)", dev->name);

    if (!fs->rdonly) {
        if ((r = j_open(fs)) < 0)
            goto fail;
        fs->sb->s_feature_incompat |= EXT3_INCOMPAT_RECOVER;
        fs->incompat |= EXT3_INCOMPAT_RECOVER;
        fs->sb->s_mtime = fs_now();
        fs->sb->s_mnt_count++;
        if ((r = dev_write_block(fs, sbblk, fs->sbb->data)) < 0 || (r = dev_flush(fs)) < 0)
            goto fail;
        if ((r = orphans_process(fs)) < 0)
            goto fail;
    }
    if ((r = iget(fs, EXT2_ROOT_INO, &fs->root)) < 0)
        goto fail;
    if (!S_ISDIR(fs->root->d.i_mode) || fs->root->d.i_links_count < 2) {
        r = fs_corrupt(fs, "root is not a directory", EXT2_ROOT_INO, fs->root->d.i_mode);
        goto fail;
    }
    fs_page_free(scratch);
    *out = fs;
    return 0;
fail:
    if (fs && fs->dev)
        FS_LOG("fs: %s: mount failed (%d)", dev->name, r);
    if (scratch)
        fs_page_free(scratch);
    if (fs)
        fs_free(fs);
    return r;
}

int fs_umount(struct fs *fs)
{
    if (icache_busy(fs))
        return -EBUSY;
    int r = 0;
    if (!fs->rdonly && !fs->aborted) {
        r = j_commit(fs);
        if (r == 0 && fs->j.usable && (r = j_mark_empty(fs)) == 0) {
            fs->sb->s_feature_incompat &= ~EXT3_INCOMPAT_RECOVER;
            fs->sb->s_wtime = fs_now();
            if ((r = dev_write_block(fs, fs->sbb->blockno, fs->sbb->data)) == 0)
                r = dev_flush(fs);
        }
    }
    fs_free(fs);
    return r;
}

int fs_commit(struct fs *fs)
{
    if (fs->rdonly)
        return 0;
    if (fs->aborted)
        return -EIO;
    return j_commit(fs);
}

int fs_pending(struct fs *fs)
{
    return fs->j.thead != 0;
}

int fs_statfs(struct fs *fs, struct klos_statfs *st)
{
    struct ext2_super *s = fs->sb;
    memset(st, 0, sizeof *st);
    st->f_bsize = fs->bsize;
    st->f_namelen = KLOS_NAME_MAX;
    st->f_blocks = fs->nblocks;
    st->f_bfree = s->s_free_blocks_count;
    st->f_bavail = s->s_free_blocks_count > s->s_r_blocks_count ?
                   s->s_free_blocks_count - s->s_r_blocks_count : 0;
    st->f_files = fs->ninodes;
    st->f_ffree = s->s_free_inodes_count;
    st->f_flags = fs->rdonly || fs->aborted ? KLOS_ST_RDONLY : 0;
    st->f_seq = fs->j.committed;
    return 0;
}
