/* The ext2 on-disk format (revision 0 and 1), as e2fsprogs writes it
 * (lib/ext2fs/ext2_fs.h).  Every field is little-endian, as the x86 is;
 * the structures are read in place. */
#ifndef EXT2_H
#define EXT2_H
#include <stdint.h>

#define EXT2_MAGIC          0xEF53
#define EXT2_SB_OFFSET      1024        /* the superblock's byte offset on the disk */
#define EXT2_ROOT_INO       2
#define EXT2_RESIZE_INO     7
#define EXT2_JOURNAL_INO    8
#define EXT2_GOOD_OLD_FIRST_INO 11
#define EXT2_GOOD_OLD_INODE_SIZE 128
#define EXT2_NDIR           12          /* direct block pointers */
#define EXT2_IND            12          /* i_block[12]: single indirect */
#define EXT2_DIND           13
#define EXT2_TIND           14
#define EXT2_NBLOCK         15

struct ext2_super {
    uint32_t s_inodes_count;
    uint32_t s_blocks_count;
    uint32_t s_r_blocks_count;
    uint32_t s_free_blocks_count;
    uint32_t s_free_inodes_count;
    uint32_t s_first_data_block;
    uint32_t s_log_block_size;          /* block size = 1024 << this */
    uint32_t s_log_cluster_size;
    uint32_t s_blocks_per_group;
    uint32_t s_clusters_per_group;
    uint32_t s_inodes_per_group;
    uint32_t s_mtime;
    uint32_t s_wtime;
    uint16_t s_mnt_count;
    int16_t s_max_mnt_count;
    uint16_t s_magic;
    uint16_t s_state;                   /* EXT2_VALID_FS, EXT2_ERROR_FS */
    uint16_t s_errors;
    uint16_t s_minor_rev_level;
    uint32_t s_lastcheck;
    uint32_t s_checkinterval;
    uint32_t s_creator_os;
    uint32_t s_rev_level;
    uint16_t s_def_resuid;
    uint16_t s_def_resgid;
    /* revision 1 (dynamic) */
    uint32_t s_first_ino;
    uint16_t s_inode_size;
    uint16_t s_block_group_nr;
    uint32_t s_feature_compat;
    uint32_t s_feature_incompat;
    uint32_t s_feature_ro_compat;
    uint8_t s_uuid[16];
    char s_volume_name[16];
    char s_last_mounted[64];
    uint32_t s_algorithm_usage_bitmap;
    uint8_t s_prealloc_blocks;
    uint8_t s_prealloc_dir_blocks;
    uint16_t s_reserved_gdt_blocks;
    /* ext3 */
    uint8_t s_journal_uuid[16];
    uint32_t s_journal_inum;
    uint32_t s_journal_dev;
    uint32_t s_last_orphan;             /* head of the orphan list */
    uint32_t s_hash_seed[4];
    uint8_t s_def_hash_version;
    uint8_t s_jnl_backup_type;
    uint16_t s_desc_size;
    uint32_t s_default_mount_opts;
    uint32_t s_first_meta_bg;
    uint32_t s_mkfs_time;
    uint32_t s_jnl_blocks[17];
    /* the rest (ext4's fields) is kept as read */
};

#define EXT2_VALID_FS 1
#define EXT2_ERROR_FS 2

/* features: COMPAT may be ignored, RO_COMPAT only read, INCOMPAT not at all */
#define EXT2_COMPAT_DIR_PREALLOC    0x0001
#define EXT2_COMPAT_IMAGIC_INODES   0x0002
#define EXT3_COMPAT_HAS_JOURNAL     0x0004
#define EXT2_COMPAT_EXT_ATTR        0x0008
#define EXT2_COMPAT_RESIZE_INODE    0x0010
#define EXT2_COMPAT_DIR_INDEX       0x0020
#define EXT2_COMPAT_SPARSE_SUPER2   0x0200
#define EXT2_RO_COMPAT_SPARSE_SUPER 0x0001
#define EXT2_RO_COMPAT_LARGE_FILE   0x0002
#define EXT2_INCOMPAT_FILETYPE      0x0002
#define EXT3_INCOMPAT_RECOVER       0x0004
#define EXT2_KNOWN_INCOMPAT  (EXT2_INCOMPAT_FILETYPE | EXT3_INCOMPAT_RECOVER)
#define EXT2_KNOWN_RO_COMPAT (EXT2_RO_COMPAT_SPARSE_SUPER | EXT2_RO_COMPAT_LARGE_FILE)

struct ext2_gd {                        /* 32 bytes: no 64bit feature */
    uint32_t bg_block_bitmap;
    uint32_t bg_inode_bitmap;
    uint32_t bg_inode_table;
    uint16_t bg_free_blocks_count;
    uint16_t bg_free_inodes_count;
    uint16_t bg_used_dirs_count;
    uint16_t bg_flags;
    uint32_t bg_reserved[3];
};

struct ext2_inode {                     /* the first 128 bytes of every inode */
    uint16_t i_mode;
    uint16_t i_uid;
    uint32_t i_size;
    uint32_t i_atime;
    uint32_t i_ctime;
    uint32_t i_mtime;
    uint32_t i_dtime;                   /* deletion time; next orphan while on the orphan list */
    uint16_t i_gid;
    uint16_t i_links_count;
    uint32_t i_blocks;                  /* 512-byte units, indirect and xattr blocks included */
    uint32_t i_flags;
    uint32_t i_version;                 /* osd1 */
    uint32_t i_block[EXT2_NBLOCK];
    uint32_t i_generation;
    uint32_t i_file_acl;                /* extended attribute block */
    uint32_t i_size_high;               /* i_dir_acl: size bits 32..63 of a regular file */
    uint32_t i_faddr;
    uint8_t i_osd2[12];
};

/* the large inode's fields after the first 128 bytes, as far as KLOS keeps them */
struct ext2_inode_extra {
    uint16_t i_extra_isize;
    uint16_t i_checksum_hi;
    uint32_t i_ctime_extra;
    uint32_t i_mtime_extra;
    uint32_t i_atime_extra;
    uint32_t i_crtime;
    uint32_t i_crtime_extra;
    uint32_t i_version_hi;
    uint32_t i_projid;
};
#define EXT2_EXTRA_WANT 32              /* i_extra_isize KLOS gives a new large inode */

#define EXT2_INDEX_FL       0x00001000  /* hashed directory */
#define EXT4_EXTENTS_FL     0x00080000
#define EXT4_INLINE_DATA_FL 0x10000000

struct ext2_dirent {
    uint32_t inode;                     /* 0: an unused entry */
    uint16_t rec_len;
    uint8_t name_len;
    uint8_t file_type;                  /* with INCOMPAT_FILETYPE, else name_len's high byte */
    char name[];
};
#define EXT2_DIRENT_HDR 8
#define EXT2_DIRENT_LEN(namelen) ((EXT2_DIRENT_HDR + (namelen) + 3) & ~3u)

/* file_type values */
#define EXT2_FT_UNKNOWN 0
#define EXT2_FT_REG     1
#define EXT2_FT_DIR     2
#define EXT2_FT_CHRDEV  3
#define EXT2_FT_BLKDEV  4
#define EXT2_FT_FIFO    5
#define EXT2_FT_SOCK    6
#define EXT2_FT_SYMLINK 7

/* an extended-attribute block (i_file_acl) */
#define EXT2_XATTR_MAGIC 0xEA020000
struct ext2_xattr_hdr {
    uint32_t h_magic;
    uint32_t h_refcount;
    uint32_t h_blocks;
    uint32_t h_hash;
};
#endif
