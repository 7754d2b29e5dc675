package assign

// defaultYAML is the built-in assignment: the six modules of the seed
// document, under the file names the seed gives them or their own names.
const defaultYAML = `
name: seed
tasks:
  - name: hello
    files: [hello.c, mymodule.c]
    spec: seed:hello
    points: {build: 1, load: 1, output: 2, truth: 0, unload: 1}
  - name: running
    files: [running.c, lkm1.c]
    spec: seed:running
    points: {build: 1, load: 1, output: 2, truth: 3, unload: 1}
  - name: heap
    files: [heap.c, lkm2.c]
    spec: seed:heap
    points: {build: 1, load: 1, output: 2, truth: 3, unload: 1}
  - name: ksp
    files: [ksp.c, lkm3.c]
    spec: seed:ksp
    points: {build: 1, load: 1, output: 2, truth: 3, unload: 1}
  - name: mapper
    files: [mapper.c, lkm4.c]
    params: [pid, addr]
    spec: seed:mapper
    points: {build: 1, load: 1, output: 2, truth: 3, unload: 1}
  - name: size
    files: [size.c, lkm5.c]
    params: [pid]
    spec: seed:size
    points: {build: 1, load: 1, output: 2, truth: 3, unload: 1}
`

// Default returns the built-in assignment: the six seed modules.
func Default() *Assignment {
	var a Assignment
	if err := decodeStrict(defaultYAML, &a); err != nil {
		panic("assign: built-in assignment: " + err.Error())
	}
	if err := a.resolve("."); err != nil {
		panic("assign: built-in assignment: " + err.Error())
	}
	return &a
}
