/* The test kernel's oracle (tests/os/guard.c, test=oracle): an app raises
 * int VEC_UPCALL with EAX = a request and gets the answer in EAX.  Requests
 * are odd values no answer takes, so an app can tell that no oracle
 * answered (the product kernel's upcall handler leaves EAX as it was). */
#ifndef GUARD_ORACLE_H
#define GUARD_ORACLE_H
#define ORACLE_V2P  0x0A11A5E1  /* EBX = a linear address: its physical address, 0 if unmapped */
#define ORACLE_DSOS 0x0A11A5E3  /* the DSOS selector in use */
#endif
