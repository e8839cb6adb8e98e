package tools

import (
	"fmt"
	"strconv"
	"sync/atomic"

	"tracksgo/internal/formats/format"
)

// DefaultKeyframeLimit is the budget of a Build without one: far above
// what real shots need, low enough that a file with absurd frame gaps
// cannot make a conversion run out of memory or time.
const DefaultKeyframeLimit = 10_000_000

// Budget is how many keyframes the tools of one conversion may create
// (Lerp fills gaps), whatever the number of chains and formats that run
// them: every tool built with the same Budget draws on it. It is safe for
// concurrent use.
type Budget struct {
	limit int64 // <= 0: no limit
	used  atomic.Int64
}

// NewBudget returns a budget of limit keyframes; limit <= 0 means none.
func NewBudget(limit int64) *Budget { return &Budget{limit: limit} }

// Limit is the number of keyframes the budget allows (<= 0: no limit).
func (b *Budget) Limit() int64 { return b.limit }

// Used is the number of keyframes drawn so far.
func (b *Budget) Used() int64 { return b.used.Load() }

// take draws n keyframes before the tool creates them, so that a tool
// over the limit fails before it makes anything. The error is meant for
// the user: it names the limit and what to change.
func (b *Budget) take(tool string, n int) error {
	if b.limit <= 0 || n <= 0 {
		return nil
	}
	if used := b.used.Add(int64(n)); used > b.limit || used < 0 {
		b.used.Add(-int64(n)) // a failed draw takes nothing
		return &format.UserError{Code: format.CodeKeyframeLimit, Msg: fmt.Sprintf(
			"%s: the tools would create more than %s keyframes, the most one conversion may add: remove the %s tool or trim the frame range",
			tool, Thousands(b.limit), tool)}
	}
	return nil
}

// Thousands writes n with a comma between groups of three digits.
func Thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := s[0] == '-'
	if neg {
		s = s[1:]
	}
	out := make([]byte, 0, len(s)+len(s)/3+1)
	if neg {
		out = append(out, '-')
	}
	for i := 0; i < len(s); i++ {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}
