package tools

// Values maps parameter names to their text values, as from a form or JSON.
type Values map[string]string

// Spec is one tool application, as stored in a job's options.
type Spec struct {
	Name   string `json:"name"`
	Params Values `json:"params,omitempty"`
}
