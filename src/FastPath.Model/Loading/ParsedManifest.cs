using System;
using System.Collections.Generic;
using FastPath.Model.Diagnostics;

namespace FastPath.Model.Loading;

/// <summary>
/// One manifest file with its YAML parsed (or its syntax error), before any object in it is read. Equal when the
/// path and text are: parsing is a function of the text, which is what lets a pipeline keep a file's parse while
/// other files change. The YAML is only read after parsing, never changed.
/// </summary>
public sealed class ParsedManifest : IEquatable<ParsedManifest>
{
    internal ParsedManifest(ManifestText file, IReadOnlyList<YamlValue>? documents, IReadOnlyList<Diagnostic> errors)
    {
        File = file;
        Documents = documents;
        Errors = errors;
    }

    public ManifestText File { get; }
    /// <summary>Each YAML document's root; null when the file could not be parsed.</summary>
    internal IReadOnlyList<YamlValue>? Documents { get; }
    /// <summary>What parsing found: syntax errors and input limits exceeded (with no YAML then), warnings.</summary>
    internal IReadOnlyList<Diagnostic> Errors { get; }

    public bool Equals(ParsedManifest? other) => other is not null && File.Equals(other.File);
    public override bool Equals(object? obj) => Equals(obj as ParsedManifest);
    public override int GetHashCode() => File.GetHashCode();
}
