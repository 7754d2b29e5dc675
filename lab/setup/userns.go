package setup

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
)

// ErrUserNamespaces means the host forbids the unprivileged user
// namespaces bubblewrap confines student builds with.
var ErrUserNamespaces = errors.New("unprivileged user namespaces are forbidden")

// usernsHost is what UserNamespaces looks at, replaceable in tests.
type usernsHost struct {
	euid     int
	readFile func(string) ([]byte, error)
	probe    func() error // starts a sandbox; nil when bwrap is absent
}

// UserNamespaces returns nil when this user can start the grading sandbox
// (bubblewrap with its own user namespace), and otherwise an error wrapping
// ErrUserNamespaces that names the host setting and the command that
// changes it. Root needs no unprivileged namespaces, but in a container
// may get none at all. The sandbox code
// (lab/kbuild) calls this before its first build to fail with the fix
// instead of bubblewrap's "setting up uid map: Permission denied".
func UserNamespaces() error {
	if os.Getenv("LKMLAB_SANDBOX") == "container" {
		return nil // builds run as nobody, without namespaces (lab/kbuild)
	}
	h := usernsHost{euid: os.Geteuid(), readFile: os.ReadFile}
	if _, err := exec.LookPath("bwrap"); err == nil {
		h.probe = probeBwrap
	}
	return h.check()
}

// sysctl is one host setting that forbids user namespaces at a value.
type sysctl struct {
	file, name, forbids, allow, note string
}

var usernsSysctls = []sysctl{
	{"/proc/sys/user/max_user_namespaces", "user.max_user_namespaces", "0", "15000", ""},
	// Debian's kernels before 6.x and some hardened kernels.
	{"/proc/sys/kernel/unprivileged_userns_clone", "kernel.unprivileged_userns_clone", "0", "1", ""},
	// Ubuntu 23.10 and later: AppArmor lets only profiled programs use
	// them; Ubuntu's bwrap-userns-restrict profile, where installed,
	// also allows bubblewrap.
	{"/proc/sys/kernel/apparmor_restrict_unprivileged_userns", "kernel.apparmor_restrict_unprivileged_userns", "1", "0",
		" (or give bwrap an AppArmor profile that allows userns)"},
}

func (h usernsHost) check() error {
	if h.euid == 0 {
		// Root needs no unprivileged namespaces, but a container's
		// seccomp profile can refuse them to root too.
		if h.probe != nil {
			if err := h.probe(); err != nil {
				return fmt.Errorf("%w: bubblewrap cannot start a sandbox here, even as root: %v: in a container that refuses namespaces (Docker's default seccomp profile), set LKMLAB_SANDBOX=container to build student code as the user nobody instead",
					ErrUserNamespaces, err)
			}
		}
		return nil
	}
	for _, s := range usernsSysctls {
		b, err := h.readFile(s.file)
		if err != nil || strings.TrimSpace(string(b)) != s.forbids {
			continue
		}
		if s.name == "kernel.apparmor_restrict_unprivileged_userns" && h.probe != nil && h.probe() == nil {
			continue // a profile lets bwrap through
		}
		return fmt.Errorf("%w: %s = %s on this host, so lkmlab grade cannot confine student builds with bubblewrap: "+
			"run 'sudo sysctl -w %s=%s'%s (add it to /etc/sysctl.d/ to keep it), or grade as root",
			ErrUserNamespaces, s.name, s.forbids, s.name, s.allow, s.note)
	}
	if h.probe == nil {
		return nil // Check reports the missing bwrap
	}
	if err := h.probe(); err != nil {
		return fmt.Errorf("%w: bubblewrap cannot start a sandbox here: %v: allow unprivileged user namespaces (sysctl user.max_user_namespaces, kernel.unprivileged_userns_clone, AppArmor), or grade as root",
			ErrUserNamespaces, err)
	}
	return nil
}

// probeBwrap starts the smallest sandbox the grader's resembles.
func probeBwrap() error {
	cmd := exec.Command("bwrap", "--ro-bind", "/", "/", "--unshare-all", "--die-with-parent", "true")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return fmt.Errorf("%w: %s", err, msg)
		}
		return err
	}
	return nil
}
