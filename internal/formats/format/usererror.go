package format

// Codes of the errors a user can meet before or around an import
// (FORMATS.md §2.5). The messages are the original's.
const (
	CodeUnsupportedFormat   = "UnsupportedFormat"
	CodeEmptySourceFile     = "EmptySourceFile"
	CodeUnknownFormat       = "UnknownFormat"
	CodeDimensionsRequired  = "DimensionsRequired"
	CodeNoTrackersRecovered = "NoTrackersRecovered"
	CodeUnknownImporter     = "UnknownImporter"
	CodeUnknownExporter     = "UnknownExporter"
)

// UserError is an error whose message is meant for the user as it is.
type UserError struct {
	Code string
	Msg  string
}

func (e *UserError) Error() string { return e.Msg }
