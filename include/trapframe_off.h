/* Byte offsets into struct trapframe (include/trapframe.h, which checks
 * them), for NASM. */
#define TF_DS       12
#define TF_CR2      28
#define TF_VEC      48
#define TF_ERR      52
#define TF_EIP      56
#define TF_CS       60
#define TF_EFLAGS   64
#define TF_ESP      68
#define TF_SS       72
#define TF_SIZE     76
#define TF_WORDS    19
