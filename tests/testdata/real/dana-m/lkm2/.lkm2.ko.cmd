cmd_/home/dana/lkm/lkm2/lkm2.ko := ld -r -m elf_x86_64 --build-id=sha1  -T scripts/module.lds -o /home/dana/lkm/lkm2/lkm2.ko /home/dana/lkm/lkm2/lkm2.o /home/dana/lkm/lkm2/lkm2.mod.o;  true
