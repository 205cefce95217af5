using System.Collections.Generic;

namespace FastPath.Model;

public sealed record Node
{
    public required ObjectMeta Meta { get; init; }
    public string Name => Meta.Name;
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public const string ZoneLabel = "topology.kubernetes.io/zone";
    public string? Zone => Labels.TryGetValue(ZoneLabel, out var z) && z.Length > 0 ? z : null;
}
