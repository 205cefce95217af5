namespace FastPath.Model;

/// <summary>
/// A manifest file's path (as it should appear in diagnostics) and its text. It belongs to the model, not to the
/// loader, because a <see cref="Cluster"/> keeps the texts it was built from as its <see cref="Cluster.Sources"/>.
/// </summary>
public sealed record ManifestText(string Path, string Text);
