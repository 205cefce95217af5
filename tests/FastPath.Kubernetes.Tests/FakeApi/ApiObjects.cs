using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;

namespace FastPath.Kubernetes.Tests.FakeApi;

/// <summary>An endpoint of a slice: its address, conditions, node and zone hint.</summary>
internal sealed record Ep(string Ip, bool Ready = true, bool? Serving = null, bool Terminating = false, string? Node = null, string? Zone = null, string? Hint = null);

/// <summary>API objects as the API server stores them (JSON), the smallest that show each behaviour.</summary>
internal static class ApiObjects
{
    public static JsonObject Namespace(string name) => new()
    {
        ["kind"] = "Namespace", ["apiVersion"] = "v1", ["metadata"] = new JsonObject { ["name"] = name },
    };

    public static JsonObject Service(string ns, string name, string clusterIp, int port = 80, string? portName = "http",
        IReadOnlyDictionary<string, string>? labels = null, bool clientIpAffinity = false)
    {
        var spec = new JsonObject
        {
            ["type"] = "ClusterIP",
            ["clusterIP"] = clusterIp,
            ["clusterIPs"] = new JsonArray(clusterIp),
            ["selector"] = new JsonObject { ["app"] = name },
            ["ports"] = new JsonArray(new JsonObject { ["name"] = portName, ["port"] = port, ["targetPort"] = 8080, ["protocol"] = "TCP" }),
        };
        if (clientIpAffinity) spec["sessionAffinity"] = "ClientIP";
        return new JsonObject { ["kind"] = "Service", ["apiVersion"] = "v1", ["metadata"] = Meta(ns, name, labels), ["spec"] = spec };
    }

    public static JsonObject Slice(string ns, string name, string service, IEnumerable<Ep> endpoints, string? portName = "http",
        IReadOnlyDictionary<string, string>? labels = null)
    {
        var l = new Dictionary<string, string>(labels ?? new Dictionary<string, string>()) { ["kubernetes.io/service-name"] = service };
        var eps = new JsonArray();
        foreach (var e in endpoints)
        {
            var conditions = new JsonObject { ["ready"] = e.Ready, ["serving"] = e.Serving ?? e.Ready, ["terminating"] = e.Terminating };
            var ep = new JsonObject { ["addresses"] = new JsonArray(e.Ip), ["conditions"] = conditions };
            if (e.Node is not null) ep["nodeName"] = e.Node;
            if (e.Zone is not null) ep["zone"] = e.Zone;
            if (e.Hint is not null) ep["hints"] = new JsonObject { ["forZones"] = new JsonArray(new JsonObject { ["name"] = e.Hint }) };
            eps.Add(ep);
        }
        return new JsonObject
        {
            ["kind"] = "EndpointSlice", ["apiVersion"] = "discovery.k8s.io/v1", ["metadata"] = Meta(ns, name, l),
            ["addressType"] = "IPv4", ["endpoints"] = eps,
            ["ports"] = new JsonArray(new JsonObject { ["name"] = portName, ["port"] = 8080, ["protocol"] = "TCP" }),
        };
    }

    public static JsonObject Pod(string ns, string name, string ip, string? hostname = null) => new()
    {
        ["kind"] = "Pod", ["apiVersion"] = "v1", ["metadata"] = Meta(ns, name, new Dictionary<string, string> { ["app"] = name }),
        ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "c", ["image"] = "x" }) },
        ["status"] = new JsonObject { ["phase"] = "Running", ["podIP"] = ip, ["podIPs"] = new JsonArray(new JsonObject { ["ip"] = ip }),
            ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True" }) },
    };

    public static JsonObject Node(string name, string zone) => new()
    {
        ["kind"] = "Node", ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["topology.kubernetes.io/zone"] = zone } },
    };

    public static JsonObject Corefile(string text) => new()
    {
        ["kind"] = "ConfigMap", ["apiVersion"] = "v1", ["metadata"] = Meta("kube-system", "coredns", null),
        ["data"] = new JsonObject { ["Corefile"] = text },
    };

    public static Dictionary<string, string> Labels(params string[] pairs) =>
        pairs.Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]);

    private static JsonObject Meta(string ns, string name, IReadOnlyDictionary<string, string>? labels)
    {
        var meta = new JsonObject { ["name"] = name, ["namespace"] = ns, ["uid"] = ns + "-" + name };
        if (labels is { Count: > 0 }) meta["labels"] = new JsonObject(labels.Select(p => new KeyValuePair<string, JsonNode?>(p.Key, p.Value)));
        return meta;
    }
}
