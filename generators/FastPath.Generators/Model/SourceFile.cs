using FastPath.Model.Loading;

namespace FastPath.Generators;

/// <summary>
/// An AdditionalFile after its own parse step: manifests (.yaml, .yml, .json) carry their parsed YAML, other files
/// (a Corefile, files a hosts plugin reads) only their text. Equal when path and text are, so an unedited file's
/// parse is kept from one run to the next.
/// </summary>
public sealed record SourceFile(InputFile Input, ParsedManifest? Manifest);
