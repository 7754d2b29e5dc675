package assign

// defaultYAML is the built-in assignment: the six modules of the seed
// document, under the file names the seed gives them or their own names.
const defaultYAML = `
name: seed
# The parameters as students name and type them: the harness passes each
# under the student's own name, or takes the one parameter of a fitting
# type when no name matches (among several, the one whose name or
# description mentions a hint; never a flag such as debug). A string
# (module_param_string) takes an address or a pid as the text insmod
# passes; an array (module_param_array) takes the pid as its one value.
params:
  - &pid
    role: pid
    names: [pid, given_pid, target_pid, p_id, process_id, proc_id, input_pid, user_pid, pid_input, task_pid, my_pid, processid]
    types: [int, uint, long, ulong, short, ushort, llong, ullong, charp, string,
            array of int, array of uint, array of long, array of ulong, array of llong, array of ullong]
    by_type: true
    hints: [pid, process, task, target]
  - &addr
    role: addr
    names: [addr, address, virt_addr, vaddr, va, given_va, virtual_address, virtaddr, v_addr, user_addr, uaddr, given_addr, target_addr, input_addr, vir_addr, virt, mem_addr]
    types: [ulong, long, ullong, llong, charp, string]
    by_type: true
    hints: [addr, virtual, vaddr]
tasks:
  - name: hello
    files: [hello.c, mymodule.c, '*hello*.c', 'lkm0*.c']
    detect: ['\bprintk\b|\bpr_[a-z]+\s*\(', '!for_each_process|for_each_task|task_struct|mm_struct|init_task|find_vpid|find_get_pid|pid_task|find_task_by|module_param|\bcurrent\b|next_task']
    spec: seed:hello
    points: {build: 1, load: 1, output: 2, truth: 0, unload: 1}
  - name: running
    files: [running.c, lkm1.c, 'lkm1*.c', '*running*.c', '*runnable*.c']
    detect: ['TASK_RUNNING|\b__state\b|task_is_running|->state\b|running process']
    spec: seed:running
    points: {build: 1, load: 1, output: 2, truth: 3, unload: 1}
  - name: heap
    files: [heap.c, lkm2.c, 'lkm2*.c', '*heap*.c']
    detect: ['\bstart_brk\b|->brk\b|max heap usage|largest heap']
    spec: seed:heap
    points: {build: 1, load: 1, output: 2, truth: 3, unload: 1}
  - name: ksp
    files: [ksp.c, lkm3.c, 'lkm3*.c', '*ksp*.c', '*stack*.c']
    detect: ['->stack\b|task_stack_page|end_of_stack|kernel stack|stack pointer']
    spec: seed:ksp
    points: {build: 1, load: 1, output: 2, truth: 3, unload: 1}
  - name: mapper
    files: [mapper.c, lkm4.c, 'lkm4*.c', '*mapper*.c', '*page*walk*.c', '*page*table*.c', '*v2p*.c', '*virt*phys*.c']
    detect: ['\b(pgd|p4d|pud|pmd)_offset\b|\bpte_offset\w*|follow_pfn|Page Global Directory']
    params: [*pid, *addr]
    spec: seed:mapper
    points: {build: 1, load: 1, output: 2, truth: 3, unload: 1, robust: 2}
  - name: size
    files: [size.c, lkm5.c, 'lkm5*.c', '*vas*pas*.c', '*size*.c', '*rss*.c']
    detect: ['total_vm|get_mm_rss|rss_stat|MM_(FILE|ANON|SHMEM)PAGES|get_mm_counter|vm size|rss (size|side)']
    params: [*pid]
    spec: seed:size
    points: {build: 1, load: 1, output: 2, truth: 3, unload: 1, robust: 2}
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
