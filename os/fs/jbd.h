/* The ext3 journal (JBD/JBD2) on-disk format, as e2fsprogs defines it
 * (lib/ext2fs/kernel-jbd.h): every field is big-endian.  Without the 64bit
 * and checksum features a descriptor's tag is 8 bytes {be32 block,
 * be16 checksum, be16 flags} (journal_tag_bytes: sizeof(journal_block_tag_t)
 * 12, less 4 for the absent t_blocknr_high); a tag without SAME_UUID is
 * followed by the 16-byte UUID.  The helpers here are pure: the unit tests
 * check them (tests/unit/test_fs_pure.c). */
#ifndef JBD_H
#define JBD_H
#include <stdint.h>

#define JBD_MAGIC           0xC03B3998u
#define JBD_DESCRIPTOR      1
#define JBD_COMMIT          2
#define JBD_SUPERBLOCK_V1   3
#define JBD_SUPERBLOCK_V2   4
#define JBD_REVOKE          5

#define JBD_FLAG_ESCAPE     1           /* the copy's first 4 bytes were the magic */
#define JBD_FLAG_SAME_UUID  2
#define JBD_FLAG_DELETED    4
#define JBD_FLAG_LAST_TAG   8

#define JBD_INCOMPAT_REVOKE 0x1
#define JBD_KNOWN_INCOMPAT  JBD_INCOMPAT_REVOKE  /* the rest: 64bit, async commit, csum v2/v3, fast commit */

#define JBD_HDR     12                  /* magic, blocktype, sequence */
#define JBD_TAG     8
#define JBD_UUID    16
#define JBD_REVOKE_HDR 16               /* header + be32 r_count (bytes used, header included) */

/* journal superblock byte offsets */
#define JSB_BLOCKSIZE   0x0C
#define JSB_MAXLEN      0x10
#define JSB_FIRST       0x14
#define JSB_SEQUENCE    0x18
#define JSB_START       0x1C
#define JSB_ERRNO       0x20
#define JSB_COMPAT      0x24
#define JSB_INCOMPAT    0x28
#define JSB_RO_COMPAT   0x2C
#define JSB_UUID        0x30
#define JSB_NR_USERS    0x40

/* commit block: the header, checksum type/size (0), then h_commit_sec at 0x30 */
#define JCOMMIT_SEC     0x30
#define JCOMMIT_NSEC    0x38

static inline uint32_t be32_get(const void *p)
{
    const uint8_t *b = p;
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static inline uint16_t be16_get(const void *p)
{
    const uint8_t *b = p;
    return (uint16_t)(b[0] << 8 | b[1]);
}

static inline void be32_put(void *p, uint32_t v)
{
    uint8_t *b = p;
    b[0] = v >> 24;
    b[1] = v >> 16;
    b[2] = v >> 8;
    b[3] = v;
}

static inline void be16_put(void *p, uint16_t v)
{
    uint8_t *b = p;
    b[0] = v >> 8;
    b[1] = v;
}

/* Is this a journal block header of the given sequence?  Returns its type, or 0. */
static inline uint32_t jbd_header(const void *blk, uint32_t seq)
{
    const uint8_t *b = blk;
    if (be32_get(b) != JBD_MAGIC || be32_get(b + 8) != seq)
        return 0;
    return be32_get(b + 4);
}

static inline void jbd_put_header(void *blk, uint32_t type, uint32_t seq)
{
    uint8_t *b = blk;
    be32_put(b, JBD_MAGIC);
    be32_put(b + 4, type);
    be32_put(b + 8, seq);
}

/* Walks the tags of a descriptor block of bsize bytes.  *pos starts at 0;
 * each call returns 1 with the next tag's home block and flags, or 0 at the
 * end (after a LAST_TAG tag, or where no whole tag fits). */
static inline int jbd_next_tag(const uint8_t *blk, uint32_t bsize, uint32_t *pos,
                               uint32_t *block, uint32_t *flags)
{
    uint32_t p = *pos ? *pos : JBD_HDR;
    if (p == 0xFFFFFFFFu || p + JBD_TAG > bsize)
        return 0;
    *block = be32_get(blk + p);
    *flags = be16_get(blk + p + 6);
    p += JBD_TAG;
    if (!(*flags & JBD_FLAG_SAME_UUID))
        p += JBD_UUID;
    if (*flags & JBD_FLAG_LAST_TAG)
        p = 0xFFFFFFFFu;
    *pos = p;
    return 1;
}

/* How many tags a descriptor of bsize holds when the first carries the UUID. */
static inline uint32_t jbd_tags_per_desc(uint32_t bsize)
{
    return (bsize - JBD_HDR - JBD_UUID) / JBD_TAG;
}

/* Writes tag i (of a descriptor being built) at *pos, advancing it. */
static inline void jbd_put_tag(uint8_t *blk, uint32_t *pos, uint32_t block, int first, int last,
                               int escaped, const uint8_t *uuid)
{
    uint32_t p = *pos ? *pos : JBD_HDR;
    uint16_t flags = (first ? 0 : JBD_FLAG_SAME_UUID) | (last ? JBD_FLAG_LAST_TAG : 0) |
                     (escaped ? JBD_FLAG_ESCAPE : 0);
    be32_put(blk + p, block);
    be16_put(blk + p + 4, 0);
    be16_put(blk + p + 6, flags);
    p += JBD_TAG;
    if (first) {
        for (int i = 0; i < JBD_UUID; i++)
            blk[p + i] = uuid[i];
        p += JBD_UUID;
    }
    *pos = p;
}

/* A block whose first 4 bytes are the magic is logged with them zeroed. */
static inline int jbd_needs_escape(const void *data)
{
    return be32_get(data) == JBD_MAGIC;
}
#endif
