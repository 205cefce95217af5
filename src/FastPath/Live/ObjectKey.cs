namespace FastPath.Live;

/// <summary>One API object: its kind (<c>Service</c>, <c>EndpointSlice</c>, …), namespace ("" when cluster-scoped) and name.</summary>
public readonly record struct ObjectKey(string Kind, string Namespace, string Name)
{
    /// <summary>The path diagnostics name the object by: <c>Kind/namespace/name</c>.</summary>
    public override string ToString() => Namespace.Length == 0 ? $"{Kind}/{Name}" : $"{Kind}/{Namespace}/{Name}";
}
