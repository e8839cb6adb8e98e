package config

import (
	"strings"
	"testing"
)

func TestOutputLimit(t *testing.T) {
	c, err := FromEnv(func(string) string { return "" })
	if err != nil || c.OutputLimit != 2<<30 {
		t.Fatalf("default JOB_OUTPUT_LIMIT: %d, %v; want 2 GiB", c.OutputLimit, err)
	}
	c, err = FromEnv(func(k string) string { return map[string]string{"JOB_OUTPUT_LIMIT": "1048576"}[k] })
	if err != nil || c.OutputLimit != 1<<20 {
		t.Fatalf("JOB_OUTPUT_LIMIT=1048576: %d, %v", c.OutputLimit, err)
	}
	for _, bad := range []string{"0", "-1", "lots"} {
		_, err := FromEnv(func(k string) string { return map[string]string{"JOB_OUTPUT_LIMIT": bad}[k] })
		if err == nil || !strings.Contains(err.Error(), "JOB_OUTPUT_LIMIT") {
			t.Errorf("JOB_OUTPUT_LIMIT=%s: got %v, want an error naming it", bad, err)
		}
	}
}
