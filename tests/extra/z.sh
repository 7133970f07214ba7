echo PASS notexec
