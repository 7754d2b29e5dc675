package ko

// Uses is what a module's imports say it leaves running between insmod and
// rmmod: timers, deferred work and kernel threads. None is a violation; a
// module that starts one and imports nothing that stops or waits for it
// may leave it pending at rmmod, with its code unloaded under it, which
// the verdict can look for then.
type Uses struct {
	Timers  Use `json:"timers"`
	Work    Use `json:"work"` // work items, RCU callbacks, tasklets
	Threads Use `json:"threads"`
}

// Use lists the imports that start one kind of deferred activity and the
// imports that stop or wait for it.
type Use struct {
	Start []string `json:"start,omitempty"`
	Stop  []string `json:"stop,omitempty"`
}

// Unstopped reports whether the module starts this kind of activity and
// imports nothing that stops or waits for it.
func (u Use) Unstopped() bool { return len(u.Start) > 0 && len(u.Stop) == 0 }

// The symbols each kind is started and stopped with. timer_setup() and
// schedule_work() are macros and inlines: they import init_timer_key and
// queue_work_on; kthread_run() imports kthread_create_on_node.
var (
	timerStart = []string{"add_timer", "add_timer_on", "add_timer_global", "add_timer_local",
		"mod_timer", "mod_timer_pending", "timer_reduce", "init_timer_key",
		"hrtimer_start_range_ns", "hrtimer_init", "hrtimer_setup"}
	timerStop = []string{"del_timer", "del_timer_sync", "try_to_del_timer_sync", "timer_delete*",
		"timer_shutdown*", "hrtimer_cancel", "hrtimer_try_to_cancel"}
	workStart = []string{"queue_work_on", "queue_work_node", "queue_delayed_work_on", "__queue_delayed_work",
		"mod_delayed_work_on", "queue_rcu_work", "call_rcu", "__tasklet_schedule", "__tasklet_hi_schedule",
		"tasklet_init", "tasklet_setup"}
	workStop = []string{"cancel_work", "cancel_work_sync", "cancel_delayed_work", "cancel_delayed_work_sync",
		"flush_work", "flush_delayed_work", "flush_workqueue", "__flush_workqueue", "drain_workqueue",
		"destroy_workqueue", "rcu_barrier", "tasklet_kill"}
	threadStart = []string{"kthread_create_on_node", "kthread_create_on_cpu", "kthread_create_worker*",
		"kthread_run_on_cpu"}
	threadStop = []string{"kthread_stop", "kthread_stop_put", "kthread_destroy_worker"}
)

// Uses lists the module's timers, deferred work and kernel threads, by
// what it imports.
func (m *Module) Uses() Uses {
	return Uses{
		Timers:  m.use(timerStart, timerStop),
		Work:    m.use(workStart, workStop),
		Threads: m.use(threadStart, threadStop),
	}
}

func (m *Module) use(start, stop []string) Use {
	var u Use
	for _, sym := range m.Imports {
		if _, ok := matchAny(start, []string{sym}); ok {
			u.Start = append(u.Start, sym)
		}
		if _, ok := matchAny(stop, []string{sym}); ok {
			u.Stop = append(u.Stop, sym)
		}
	}
	return u
}
