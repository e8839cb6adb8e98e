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

// Codes of a conversion stopped by a limit of the service: the message
// names the limit and what to change.
const (
	CodeOutputLimit   = "OutputLimit"   // the outputs passed their byte budget
	CodeKeyframeLimit = "KeyframeLimit" // the tools would create too many keyframes
)

// UserError is an error whose message is meant for the user as it is.
type UserError struct {
	Code string
	Msg  string
}

func (e *UserError) Error() string { return e.Msg }

// MsgDimensionsRequired is the message of CodeDimensionsRequired.
const MsgDimensionsRequired = "Width and height must be provided for this importer"

// SizeRequired is the error of a SizeInFile importer that found no size in
// the file and was given none; why says what the file lacks, e.g. "a
// version 1 .uv file stores no resolution".
func SizeRequired(why string) error {
	return &UserError{Code: CodeDimensionsRequired, Msg: MsgDimensionsRequired + " (" + why + ")"}
}
