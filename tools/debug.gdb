# KLOS gdb helper, loaded by tools/debug.sh (make debug).
set pagination off
set confirm off
set disassembly-flavor intel
set print pretty on

# Registers that matter for a protected-mode, segmented OS.
define klos-regs
  info registers eip eflags cs ss ds es fs gs esp ebp
  printf "cpl=%d\n", $cs & 3
end
document klos-regs
Show EIP, EFLAGS, segment registers, stack pointers and the current privilege level.
end

# Next N instructions at EIP (default 10).
define klos-code
  if $argc == 0
    x/10i $pc
  else
    x/$arg0i $pc
  end
end
document klos-code
Disassemble the next N (default 10) instructions at EIP.
end

# Top of the current stack as dwords (default 16).
define klos-stack
  if $argc == 0
    x/16wx $sp
  else
    x/$arg0wx $sp
  end
end
document klos-stack
Dump N (default 16) dwords at ESP.
end

define hook-stop
  x/i $pc
end
