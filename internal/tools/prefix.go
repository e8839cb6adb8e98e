package tools

import (
	"strings"

	"tracksgo/internal/track"
)

// Prefix puts text in front of every tracker name (FORMATS.md §7.6).
var Prefix = define("Prefix", "Prefix names", "Prefix tracker names with text", []Param{
	{Name: "prefix", Label: "Prefix text", Type: "string", Help: "Text to put in front of the names, joined with an underscore"},
}, func(next track.Exporter, a *args) (track.Exporter, error) {
	// One trailing underscore is dropped because the join adds one.
	p := strings.TrimSuffix(a.string("prefix"), "_")
	return &prefix{Passthrough: track.Passthrough{Next: next}, p: p}, nil
})

type prefix struct {
	track.Passthrough
	p string
}

// StartTracker renames without sanitising, as the reference does.
func (p *prefix) StartTracker(name string) error {
	switch {
	case p.p == "":
	case name == "":
		name = p.p
	default:
		name = p.p + "_" + name
	}
	return p.Next.StartTracker(name)
}
