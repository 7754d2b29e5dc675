/* notes: nothing to build here; the file's name is the attack */
