# lkmlab: build kernel modules, boot them in QEMU, check their kernel log.
#   make          build every module in modules/ (KDIR=... to use another kernel tree)
#   make check    build, boot, verify; prints a verdict table (installs missing tools)
#   make test     the test suite (VM tests included)
#   make test-arm64  the matrix tests on every arm64 kernel (slow: TCG
#                 emulates another architecture; make test runs one)
#   make bench    source-to-verdict timings

GO      ?= go
LKMLAB  := bin/lkmlab
KERNEL  ?=
KDIR    ?=
GOTEST_TIMEOUT ?= 60m
# The kernels the VM tests run the seed modules on, and the debug kernel
# of the leak, locking and error-path tests; make test fetches or builds
# them first, with progress. Each Debian kernel adds about a minute to
# make test (seed modules and variants, the leak and locking fixtures, on
# snapshots: debian-5.10 took 45 s here); debian-5.10 downloads 67 MB once.
# minimal-5.10 is built once (about 10-15 minutes on 2 cores, 122 MB of
# source), then its matrix tests take about a minute.
LKMLAB_KERNELS ?= debian-5.10,debian-6.1,debian-6.12,minimal-6.1,minimal-5.10
LKMLAB_DEBUG_KERNEL ?= minimal-debug
# The arm64 kernels. make test runs the matrix tests on both
# (LKMLAB_ARM64_TEST_KERNELS: 79 s together here), make test-arm64 on all. An arm64 guest under
# TCG on an x86 host boots cold in about 15 s and runs steps 2-3 times
# slower than an amd64 one: the matrix tests took 124 s on debian-6.1-arm64
# here on snapshots (216 s when every arm64 VM booted cold; 2 cores, shared
# with other work), plus 74 MB to download and qemu-system-arm and
# gcc-aarch64-linux-gnu to install (lkmlab setup --for arm64, about 30 s).
LKMLAB_ARM64_KERNELS ?= debian-6.1-arm64,debian-6.12-arm64
LKMLAB_ARM64_TEST_KERNELS ?= debian-6.1-arm64,debian-6.12-arm64
# The tests that run over the kernel matrix.
MATRIX_TESTS ?= TestSeedModules|TestAddressSpaceLeakOnEveryKernel|TestLockingBugsPassOnPlainKernels
export LKMLAB_KERNELS LKMLAB_DEBUG_KERNEL
comma := ,

kflag = $(if $(KERNEL),--kernel $(KERNEL))

.PHONY: all modules check test test-arm64 bench lint setup clean agent shellbin $(LKMLAB)

all: modules

# agent regenerates the guest agent embedded in lkmlab (lab/agentbin) when
# guest/ or what it imports changed, and does nothing otherwise. With
# LKMLAB_AGENT_CHECK=1 (CI) it fails on a stale agent instead: a commit
# must carry the agent its sources build.
agent:
	$(GO) run ./lab/agentbin/gen

# shellbin rebuilds u-root's commands embedded for lkmlab shell
# (lab/shellbin) when the u-root or gobusybox version or the command list
# changed (about a minute), and does nothing otherwise.
shellbin:
	$(GO) run ./lab/shellbin/gen

# COMMIT is what lkmlab version reports: set here because go build's own
# VCS stamp is off wherever GOFLAGS carries -buildvcs=false.
COMMIT := $(shell c=$$(git rev-parse HEAD 2>/dev/null) && { git diff --quiet HEAD -- 2>/dev/null && echo $$c || echo $$c+dirty; })

$(LKMLAB): agent
	$(GO) build -ldflags "-X github.com/lkmlab/lkmlab/lab/version.commit=$(COMMIT)" -o $@ ./lab/cmd/lkmlab

modules: $(LKMLAB)
	$(LKMLAB) build $(kflag) $(if $(KDIR),--kdir $(KDIR))

setup: $(LKMLAB)
	$(LKMLAB) setup

# check installs what the check needs first: lkmlab check itself only says
# what is missing.
check: $(LKMLAB)
	$(LKMLAB) setup --for boot,fetch,build-modules$(if $(filter minimal%,$(KERNEL)),$(comma)build-kernel)
	$(LKMLAB) check $(kflag)

test: $(LKMLAB)
	$(LKMLAB) setup --for boot,fetch,build-modules,build-kernel,grade,debug,arm64,test
	@for k in $(subst $(comma), ,$(LKMLAB_KERNELS) $(LKMLAB_ARM64_TEST_KERNELS)) $(LKMLAB_DEBUG_KERNEL); do \
		$(LKMLAB) kernel build $$k >/dev/null || exit 1; done
	$(GO) test -count=1 -timeout $(GOTEST_TIMEOUT) ./...
	LKMLAB_KERNELS=$(LKMLAB_ARM64_TEST_KERNELS) $(GO) test -count=1 -timeout $(GOTEST_TIMEOUT) -run '$(MATRIX_TESTS)' ./tests

# test-arm64 runs the matrix tests on every arm64 kernel. The tests build
# an arm64 agent from the tree when the matrix has an arm64 kernel
# (tests/main_test.go), as they build the amd64 one.
test-arm64: $(LKMLAB)
	$(LKMLAB) setup --for boot,fetch,build-modules,arm64,test
	@for k in $(subst $(comma), ,$(LKMLAB_ARM64_KERNELS)); do \
		$(LKMLAB) kernel build $$k >/dev/null || exit 1; done
	LKMLAB_KERNELS=$(LKMLAB_ARM64_KERNELS) $(GO) test -count=1 -timeout $(GOTEST_TIMEOUT) -run '$(MATRIX_TESTS)' ./tests

bench: $(LKMLAB)
	$(LKMLAB) bench $(if $(KERNEL),--kernels $(KERNEL))

# STATICCHECK is fetched from the module proxy at this version on first use.
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2

lint:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo "gofmt: run gofmt -w on the files above"; exit 1; }
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...
	@$(GO) mod tidy -diff || { echo "go.mod/go.sum are not tidy: run go mod tidy and commit them"; exit 1; }
	$(GO) tool -modfile=tools/go.mod actionlint
	@$(GO) run ./lab/shellbin/gen -check || { echo "lab/shellbin is stale: run make shellbin and commit it"; exit 1; }

clean:
	rm -rf bin out
