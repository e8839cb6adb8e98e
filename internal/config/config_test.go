package config

import (
	"strings"
	"testing"
	"time"
)

func TestDefaultsAndOverrides(t *testing.T) {
	env := map[string]string{"DATA_DIR": "/srv/x", "CONVERTERS": "4", "JOB_TIMEOUT": "2m"}
	c, err := FromEnv(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if c.DBPath != "/srv/x/jobs.db" || c.Converters != 4 || c.JobTimeout != 2*time.Minute || c.Memcached != "127.0.0.1:11211" {
		t.Fatalf("unexpected config %+v", c)
	}
}

func TestBadValuesNameTheVariable(t *testing.T) {
	env := map[string]string{"CONVERTERS": "many", "LEASE": "-1s"}
	_, err := FromEnv(func(k string) string { return env[k] })
	if err == nil || !strings.Contains(err.Error(), "CONVERTERS") || !strings.Contains(err.Error(), "LEASE") {
		t.Fatalf("want errors naming CONVERTERS and LEASE, got %v", err)
	}
}

func TestSourceDateEpoch(t *testing.T) {
	c, err := FromEnv(func(k string) string { return map[string]string{"SOURCE_DATE_EPOCH": "1266513732"}[k] })
	if err != nil || c.Now == nil || c.Now().Unix() != 1266513732 {
		t.Fatalf("%v %v", c, err)
	}
	if _, err := FromEnv(func(k string) string { return map[string]string{"SOURCE_DATE_EPOCH": "yesterday"}[k] }); err == nil || !strings.Contains(err.Error(), "SOURCE_DATE_EPOCH") {
		t.Fatalf("got %v", err)
	}
}

func TestSizes(t *testing.T) {
	for in, want := range map[string]int64{"2GiB": 2 << 30, "512MiB": 512 << 20, "64 M": 64 << 20, "1G": 1 << 30, "1048576": 1 << 20, "8KiB": 8 << 10} {
		got, err := ParseSize(in)
		if err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "lots", "-1GiB", "0", "2TiB", "1.5GiB"} {
		if _, err := ParseSize(bad); err == nil {
			t.Errorf("ParseSize(%q) succeeded", bad)
		}
	}
	for n, want := range map[int64]string{2 << 30: "2 GiB", 3 << 29: "1.5 GiB", 64 << 20: "64 MiB", 100: "100 bytes"} {
		if got := FormatSize(n); got != want {
			t.Errorf("FormatSize(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestJobMemoryAndRequeues(t *testing.T) {
	c, err := FromEnv(func(string) string { return "" })
	if err != nil || c.JobMemory != 2<<30 || c.MaxRequeues != 20 {
		t.Fatalf("defaults: %v, JOB_MEMORY %d, MAX_REQUEUES %d", err, c.JobMemory, c.MaxRequeues)
	}
	env := map[string]string{"JOB_MEMORY": "512MiB", "MAX_REQUEUES": "5", "DATA_DIR": "/srv/x"}
	c, err = FromEnv(func(k string) string { return env[k] })
	if err != nil || c.JobMemory != 512<<20 || c.MaxRequeues != 5 {
		t.Fatalf("overrides: %v, JOB_MEMORY %d, MAX_REQUEUES %d", err, c.JobMemory, c.MaxRequeues)
	}
	if got := c.WorkDir("abc", 3); got != "/srv/x/tmp/abc-3" {
		t.Errorf("WorkDir = %q", got)
	}
	if _, err := FromEnv(func(k string) string { return map[string]string{"JOB_MEMORY": "much"}[k] }); err == nil || !strings.Contains(err.Error(), "JOB_MEMORY") {
		t.Errorf("bad JOB_MEMORY: %v", err)
	}
}
