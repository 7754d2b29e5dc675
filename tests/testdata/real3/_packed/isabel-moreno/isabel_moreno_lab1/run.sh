#!/bin/sh
# loads and unloads every module, then shows the log
set -e
sudo dmesg -C
for m in hello lkm1 lkm2 lkm3; do
	sudo insmod $m.ko
	sleep 1
	sudo rmmod $m
done
sudo dmesg
