package ko

// Policy restricts what a module may use; the zero value applies
// DefaultDeny and allows no privileged instructions.
type Policy struct {
	// Deny lists symbols (path.Match patterns) the module must not import;
	// nil means DefaultDeny.
	Deny []string `yaml:"deny,omitempty" json:"deny,omitempty"`
	// Allow, when set, lists the only symbols (patterns) the module may
	// import.
	Allow []string `yaml:"allow,omitempty" json:"allow,omitempty"`
	// Privileged allows privileged instructions (port I/O, control
	// register and MSR writes, hlt).
	Privileged bool `yaml:"privileged,omitempty" json:"privileged,omitempty"`
}
