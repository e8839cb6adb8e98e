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
