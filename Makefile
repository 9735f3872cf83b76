# amdgpu.stability: entry points. Everything runs as root on a Debian 12 machine; `make setup`
# (run by the others) installs what is missing: host packages, .venv (the main line), one
# environment per ansible-core line (.venv-lines), container images.
SHELL := /bin/bash
export CONTAINERS_CONF := $(CURDIR)/tests/containers.conf
export PATH := $(CURDIR)/.venv/bin:$(PATH)

.PHONY: setup images demo demo-clean test test-unit lint sanity build install lines molecule test-vm bench

setup:
	tests/tools/setup.sh

images:
	tests/images/build.sh
	tests/images/build-derived.sh desktop slurm sshd kernel dracut

## Apply playbooks/workstation.yml to a local container "workstation" and print the summary.
demo: setup
	tests/tools/demo.sh

demo-clean:
	podman rm -f amdgpu-stability-demo

## Every layer; ends with one line "N passed, N failed".
test: setup
	.venv/bin/python tests/run.py

test-unit: setup
	.venv/bin/python tests/run.py unit

lint: setup
	.venv/bin/python tests/run.py lint

sanity: setup
	.venv/bin/python tests/run.py sanity

build: setup
	.venv/bin/python tests/run.py build

## The ways a user gets the collection (tarball, requirements.yml, git) and galaxy-importer.
install: setup
	.venv/bin/python tests/run.py install

## ansible-test sanity, unit tests, build, docs and syntax on each ansible-core line 2.16-2.21.
lines: setup
	.venv/bin/python tests/run.py lines

molecule: setup
	.venv/bin/python tests/run.py molecule

## The real-boot VM scenarios alone (qemu; KVM where usable, TCG otherwise): UEFI GRUB and
## systemd-boot on Debian 13, BIOS GRUB on Debian 12, with each stage's time.
test-vm: setup
	.venv/bin/python tests/run.py vm

## Benchmarks: each prints ratios against a baseline measured in the same run.
bench: setup
	.venv/bin/python bench/logscan.py
	.venv/bin/python bench/health_journal.py
	.venv/bin/python bench/lab_scale.py
