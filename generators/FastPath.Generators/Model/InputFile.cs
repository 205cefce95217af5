namespace FastPath.Generators;

/// <summary>An AdditionalFile: its path relative to the project (forward slashes), its real path, its text.</summary>
public sealed record InputFile(string RelativePath, string FullPath, string Text);
