using FastPath.Model.Diagnostics;

namespace FastPath.Model;

/// <summary>The identity every object shares: namespace, name and where it was declared.</summary>
public sealed record ObjectMeta(string Namespace, string Name, SourceLocation? Location)
{
    public string Key => Namespace + "/" + Name;
}
