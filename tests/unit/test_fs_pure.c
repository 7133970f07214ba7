// The pure pieces of the file system core: journal tags and escapes
// (os/fs/jbd.h, against the byte layout of e2fsprogs' kernel-jbd.h), block
// map arithmetic (bmap_path), directory entry validation (dirent_ok), the
// sparse_super backup groups.
// SOURCES: os/fs/bmap.c os/fs/dir.c os/fs/super.c os/fs/journal.c os/fs/bcache.c os/fs/balloc.c os/fs/inode.c os/fs/file.c os/fs/namei.c os/fs/dcache.c os/fs/recover.c tests/unit/fs/fshost.c
// CFLAGS: -fsanitize=address,undefined -fno-sanitize-recover=all
#include <string.h>
#include "check.h"
#include "fs/fsint.h"

static void tags(void)
{
    uint8_t blk[1024];
    uint8_t uuid[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    memset(blk, 0xAA, sizeof blk);
    jbd_put_header(blk, JBD_DESCRIPTOR, 77);
    CHECK("jbd.header-bytes", !memcmp(blk, "\xC0\x3B\x39\x98\0\0\0\x01\0\0\0\x4D", 12));
    CHECK("jbd.header-parse", jbd_header(blk, 77) == JBD_DESCRIPTOR && jbd_header(blk, 78) == 0);
    uint32_t pos = 0;
    jbd_put_tag(blk, &pos, 0x01020304, 1, 0, 0, uuid);
    jbd_put_tag(blk, &pos, 0x0A0B0C0D, 0, 0, 1, uuid);
    jbd_put_tag(blk, &pos, 5, 0, 1, 0, uuid);
    /* first tag: block, checksum 0, flags 0, then the UUID (no SAME_UUID) */
    CHECK("jbd.tag-first-layout", !memcmp(blk + 12, "\x01\x02\x03\x04\0\0\0\0", 8) && !memcmp(blk + 20, uuid, 16));
    CHECK("jbd.tag-same-uuid-escape", !memcmp(blk + 36, "\x0A\x0B\x0C\x0D\0\0\0\x03", 8));
    CHECK("jbd.tag-last", !memcmp(blk + 44, "\0\0\0\x05\0\0\0\x0A", 8) && pos == 52);
    uint32_t p = 0, b, f, n = 0, got[3], fl[3];
    while (jbd_next_tag(blk, sizeof blk, &p, &b, &f) && n < 3) {
        got[n] = b;
        fl[n++] = f;
    }
    CHECK("jbd.tag-walk", n == 3 && got[0] == 0x01020304 && got[1] == 0x0A0B0C0D && got[2] == 5 &&
          fl[0] == 0 && fl[1] == (JBD_FLAG_SAME_UUID | JBD_FLAG_ESCAPE) &&
          fl[2] == (JBD_FLAG_SAME_UUID | JBD_FLAG_LAST_TAG));
    CHECK("jbd.tag-walk-stops", !jbd_next_tag(blk, sizeof blk, &p, &b, &f));
    /* without LAST_TAG the walk stops where no whole tag fits */
    memset(blk, 0, sizeof blk);
    p = 0;
    n = 0;
    while (jbd_next_tag(blk, sizeof blk, &p, &b, &f))
        n++;
    CHECK("jbd.tag-walk-bounded", n == 1 + (1024 - 12 - 8) / 24);   /* each with a UUID */
    CHECK("jbd.tags-per-desc", jbd_tags_per_desc(1024) == 124 && jbd_tags_per_desc(4096) == 508);
    uint8_t d[8] = {0xC0, 0x3B, 0x39, 0x98, 1, 2, 3, 4};
    CHECK("jbd.escape", jbd_needs_escape(d) && (d[3] = 0x99, !jbd_needs_escape(d)));
    CHECK("jbd.be32", be32_get("\x12\x34\x56\x78") == 0x12345678u);
}

static void paths(void)
{
    uint32_t off[4];
    /* 1 KiB: 256 pointers per block (shift 8) */
    CHECK("bmap.direct", bmap_path(8, 11, off) == 0 && off[0] == 11);
    CHECK("bmap.single-first", bmap_path(8, 12, off) == 1 && off[0] == 12 && off[1] == 0);
    CHECK("bmap.single-last", bmap_path(8, 12 + 255, off) == 1 && off[1] == 255);
    CHECK("bmap.double-first", bmap_path(8, 12 + 256, off) == 2 && off[0] == 13 && off[1] == 0 && off[2] == 0);
    CHECK("bmap.double-mid", bmap_path(8, 12 + 256 + 256 * 3 + 7, off) == 2 && off[1] == 3 && off[2] == 7);
    CHECK("bmap.double-last", bmap_path(8, 12 + 256 + 65535, off) == 2 && off[1] == 255 && off[2] == 255);
    CHECK("bmap.triple-first", bmap_path(8, 12 + 256 + 65536, off) == 3 && off[0] == 14 &&
          off[1] == 0 && off[2] == 0 && off[3] == 0);
    uint32_t last = 12 + 256 + 65536 + 16777215;
    CHECK("bmap.triple-last", bmap_path(8, last, off) == 3 && off[1] == 255 && off[2] == 255 && off[3] == 255);
    CHECK("bmap.beyond", bmap_path(8, last + 1, off) == -EFBIG);
    /* 4 KiB: 1024 pointers (shift 10); triple reaches past 2^32 blocks */
    CHECK("bmap.4k-double", bmap_path(10, 12 + 1024 + 1024 * 5 + 9, off) == 2 && off[1] == 5 && off[2] == 9);
    CHECK("bmap.4k-triple", bmap_path(10, 12 + 1024 + 1048576 + 1048576 * 2 + 1024 * 3 + 4, off) == 3 &&
          off[1] == 2 && off[2] == 3 && off[3] == 4);
    uint32_t max4k = 12 + 1024 + 1048576 + 1073741824u - 1;
    CHECK("bmap.4k-max", bmap_path(10, max4k, off) == 3 && off[1] == 1023 && off[3] == 1023 &&
          bmap_path(10, max4k + 1, off) == -EFBIG && bmap_path(10, 0xFFFFFFFFu, off) == -EFBIG);
}

static void dirents(void)
{
    uint8_t b[1024];
    struct ext2_dirent *de = (struct ext2_dirent *)b;
    memset(b, 0, sizeof b);
    de->inode = 5;
    de->rec_len = 1024;
    de->name_len = 3;
    memcpy(de->name, "abc", 3);
    CHECK("dirent.valid", dirent_ok(b, 0, 1024, 100));
    de->rec_len = 0;
    CHECK("dirent.rec_len-0", !dirent_ok(b, 0, 1024, 100));
    de->rec_len = 8;
    CHECK("dirent.rec_len-below-12", !dirent_ok(b, 0, 1024, 100));
    de->rec_len = 14;
    CHECK("dirent.rec_len-misaligned", !dirent_ok(b, 0, 1024, 100));
    de->rec_len = 1028;
    CHECK("dirent.rec_len-past-block", !dirent_ok(b, 0, 1024, 100));
    de->rec_len = 12;
    de->name_len = 5;
    CHECK("dirent.name-longer-than-rec", !dirent_ok(b, 0, 1024, 100));
    de->name_len = 4;
    CHECK("dirent.name-fits", dirent_ok(b, 0, 1024, 100));
    de->inode = 101;
    CHECK("dirent.inode-out-of-range", !dirent_ok(b, 0, 1024, 100));
    de->inode = 7;
    de->name_len = 0;
    CHECK("dirent.empty-name-in-use", !dirent_ok(b, 0, 1024, 100));
    de->inode = 0;
    de->rec_len = 1024;
    CHECK("dirent.htree-node-as-empty", dirent_ok(b, 0, 1024, 100));
    CHECK("dirent.header-past-end", !dirent_ok(b, 1020, 1024, 100) && !dirent_ok(b, 2, 1024, 100));
    CHECK("dirent.len", EXT2_DIRENT_LEN(1) == 12 && EXT2_DIRENT_LEN(4) == 12 && EXT2_DIRENT_LEN(5) == 16 &&
          EXT2_DIRENT_LEN(255) == 264);
    CHECK("dirent.types", ft_of_mode(S_IFDIR | 0755) == EXT2_FT_DIR && dt_of_ft(EXT2_FT_REG) == DT_REG &&
          dt_of_ft(EXT2_FT_SYMLINK) == DT_LNK && dt_of_ft(200) == DT_UNKNOWN);
    CHECK("dirent.klos-size", KLOS_DIRENT_SIZE(1) == 16 && KLOS_DIRENT_SIZE(3) == 16 && KLOS_DIRENT_SIZE(4) == 20 &&
          sizeof(struct klos_dirent) == 12);
}

static void groups(void)
{
    struct fs f;
    memset(&f, 0, sizeof f);
    f.ro_compat = EXT2_RO_COMPAT_SPARSE_SUPER;
    int want[] = {0, 1, 3, 5, 7, 9, 25, 27, 49, 81, 125, 243, 343};
    int ok = 1, count = 0;
    for (int g = 0; g < 400; g++) {
        int expect = 0;
        for (unsigned i = 0; i < sizeof want / sizeof want[0]; i++)
            expect |= want[i] == g;
        ok &= group_has_super(&f, (uint32_t)g) == expect;
        count += expect;
    }
    CHECK("super.sparse-groups", ok && count == 13);
    f.ro_compat = 0;
    CHECK("super.every-group-without-sparse", group_has_super(&f, 2) && group_has_super(&f, 10));
}

int main(void)
{
    tags();
    paths();
    dirents();
    groups();
    return check_exit();
}
