using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using FastPath.Compiled;
using FastPath.Live;
using FastPath.Model;
using FastPath.Runtime;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace FastPath.Yarp;

/// <summary>
/// Turns the selected Services of one snapshot into YARP clusters (one per Service port) and routes. Every endpoint
/// of the port becomes a destination; the ones kube-proxy would not use from this node are marked ineligible and left
/// out by the <see cref="FastPathPolicyNames.EndpointConditions"/> availability policy, so YARP's own policies, health
/// checks and 503s apply unchanged.
/// </summary>
internal static class ProxyConfigBuilder
{
    public sealed record Result(IReadOnlyList<RouteConfig> Routes, IReadOnlyList<ClusterConfig> Clusters, IReadOnlyList<string> Problems);

    public static Result Build(ClusterSnapshot snapshot, FastPathYarpOptions options)
    {
        var clusters = new List<ClusterConfig>();
        var routes = new List<RouteConfig>();
        var problems = new List<string>();
        var selected = new SortedDictionary<string, (ServiceName Name, string? Port)>(StringComparer.Ordinal);

        foreach (var entry in options.Services)
        {
            var (host, port) = SplitPort(entry);
            if (!ServiceName.TryParse(host, options.ClusterDomain, null, out var name))
            {
                problems.Add($"'{entry}' is not a Service name (expected name.namespace[:port])");
                continue;
            }
            selected[$"{name}/{port}"] = (name with { Qualified = true }, port);
        }
        if (snapshot.Cluster is { } model && (options.MatchLabels.Count > 0 || options.Annotation is not null))
            foreach (var s in model.Services)
                if (Matches(s, options)) selected[$"{s.Namespace}/{s.Name}/"] = (new ServiceName(s.Namespace, s.Name, true), null);

        foreach (var (name, port) in selected.Values)
        {
            var ports = snapshot.DataPlane.Ports.Where(p => p.Namespace == name.Namespace && p.Service == name.Name && (port is null || p.PortName == port || p.Port.ToString(CultureInfo.InvariantCulture) == port)).ToList();
            if (ports.Count == 0)
            {
                // Unknown Service or port: a cluster with no destination, so YARP answers 503 as for any empty cluster.
                var resolution = ServiceResolution.Resolve(snapshot, name, port, options.Node);
                problems.Add(resolution.Reason);
                clusters.Add(Empty(ClusterId(name, port ?? ""), name, options, resolution.Reason,
                    Diagnostics.MissReason.For(resolution) ?? Diagnostics.MissReason.UnknownService, snapshot.Version));
                if (options.CreateRoutes) routes.Add(Route(clusters[^1].ClusterId, name, "", options));
                continue;
            }
            foreach (var p in ports)
            {
                clusters.Add(Cluster(snapshot, name, p, ports.Count > 1, options));
                // A Service with several ports is told apart by the port in the Host header, as its ClusterIP would be.
                if (options.CreateRoutes) routes.Add(Route(clusters[^1].ClusterId, name, ports.Count > 1 ? ":" + p.Port.ToString(CultureInfo.InvariantCulture) : "", options));
            }
        }
        return new Result(routes, clusters, problems);
    }

    public static string ClusterId(ServiceName name, string port) => port.Length == 0 ? $"{name.Name}.{name.Namespace}" : $"{name.Name}.{name.Namespace}:{port}";

    private static (string Host, string? Port) SplitPort(string entry)
    {
        int colon = entry.LastIndexOf(':');
        return colon < 0 ? (entry, null) : (entry[..colon], entry[(colon + 1)..]);
    }

    private static bool Matches(Service s, FastPathYarpOptions o)
    {
        foreach (var (k, v) in o.MatchLabels)
            if (!s.Labels.TryGetValue(k, out var have) || have != v) return false;
        return o.Annotation is null || (s.Annotations.TryGetValue(o.Annotation, out var a) && string.Equals(a, "true", StringComparison.OrdinalIgnoreCase));
    }

    private static ClusterConfig Cluster(ClusterSnapshot snapshot, ServiceName name, ServicePortHandle port, bool several, FastPathYarpOptions options)
    {
        var decision = port.Decide(options.Node, external: false);
        var eligible = new HashSet<int>(decision.Action == ProxyAction.Forward ? decision.Eligible : []);
        var model = snapshot.Cluster?.FindService(name.Namespace, name.Name);
        var servicePort = model?.Ports.FirstOrDefault(p => p.Port == port.Port && p.Protocol == port.Protocol);
        var scheme = IsTls(port, servicePort) ? "https" : "http";
        var destinations = new Dictionary<string, DestinationConfig>(StringComparer.Ordinal);
        for (int i = 0; i < port.Endpoints.Count; i++)
        {
            var ep = port.Endpoints[i];
            var meta = new Dictionary<string, string> { [FastPathMetadata.Eligible] = eligible.Contains(i) ? "true" : "false" };
            if (model is not null && Conditions(snapshot.Cluster!, model, ep) is { } c)
            {
                meta[FastPathMetadata.Ready] = Bool(c.IsReady);
                meta[FastPathMetadata.Serving] = Bool(c.IsServing);
                meta[FastPathMetadata.Terminating] = Bool(c.IsTerminating);
            }
            destinations[ep] = new DestinationConfig { Address = $"{scheme}://{ep}", Metadata = meta };
        }
        var clusterMeta = Metadata(name, port.PortName ?? port.Port.ToString(CultureInfo.InvariantCulture), snapshot.Version);
        clusterMeta[FastPathMetadata.ClusterIP] = port.ClusterIP;
        if (port.AffinityTimeoutSeconds > 0) clusterMeta[FastPathMetadata.AffinityTimeoutSeconds] = port.AffinityTimeoutSeconds.ToString(CultureInfo.InvariantCulture);
        if (decision.Action != ProxyAction.Forward)
        {
            clusterMeta[FastPathMetadata.Reason] = $"Service {name} port {port.Port}: {decision.Reason}";
            clusterMeta[FastPathMetadata.MissReason] = Diagnostics.MissReason.For(decision.Action);
        }
        return new ClusterConfig
        {
            ClusterId = ClusterId(name, several ? port.PortName ?? port.Port.ToString(CultureInfo.InvariantCulture) : ""),
            LoadBalancingPolicy = options.LoadBalancingPolicy,
            HealthCheck = new HealthCheckConfig { AvailableDestinationsPolicy = FastPathPolicyNames.EndpointConditions },
            // appProtocol kubernetes.io/h2c: HTTP/2 without TLS needs prior knowledge, so YARP must not negotiate down.
            HttpRequest = servicePort?.AppProtocol == "kubernetes.io/h2c" ? new ForwarderRequestConfig { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact } : null,
            Destinations = destinations,
            Metadata = clusterMeta,
        };
    }

    private static ClusterConfig Empty(string id, ServiceName name, FastPathYarpOptions options, string reason, string missReason, long version)
    {
        var meta = Metadata(name, "", version);
        meta[FastPathMetadata.Reason] = reason;
        meta[FastPathMetadata.MissReason] = missReason;
        return new ClusterConfig
        {
            ClusterId = id,
            LoadBalancingPolicy = options.LoadBalancingPolicy,
            HealthCheck = new HealthCheckConfig { AvailableDestinationsPolicy = FastPathPolicyNames.EndpointConditions },
            Destinations = new Dictionary<string, DestinationConfig>(),
            Metadata = meta,
        };
    }

    private static Dictionary<string, string> Metadata(ServiceName name, string port, long version) => new(StringComparer.Ordinal)
    {
        [FastPathMetadata.Namespace] = name.Namespace,
        [FastPathMetadata.Service] = name.Name,
        [FastPathMetadata.Port] = port,
        [FastPathMetadata.SnapshotVersion] = version.ToString(CultureInfo.InvariantCulture),
    };

    private static RouteConfig Route(string clusterId, ServiceName name, string suffix, FastPathYarpOptions options) => new()
    {
        RouteId = clusterId,
        ClusterId = clusterId,
        Match = new RouteMatch
        {
            Hosts = [$"{name.Name}.{name.Namespace}{suffix}", $"{name.Name}.{name.Namespace}.svc{suffix}", $"{name.Name}.{name.Namespace}.svc.{options.ClusterDomain}{suffix}"],
        },
    };

    private static bool IsTls(ServicePortHandle port, ServicePort? sp) =>
        sp?.AppProtocol is "https" or "kubernetes.io/wss" || port.PortName is "https" || (sp?.AppProtocol is null && port.Port == 443);

    private static Endpoint? Conditions(Cluster cluster, Service service, string key)
    {
        foreach (var slice in cluster.SlicesFor(service))
            foreach (var e in slice.Endpoints)
                foreach (var p in slice.Ports)
                    if (e.Addresses.Count > 0 && Key(e.Addresses[0], p.Port) == key) return e;
        return null;
    }

    private static string Key(string ip, int port) =>
        IPAddress.TryParse(ip, out var a) ? new IPEndPoint(a, port).ToString() : $"{ip}:{port.ToString(CultureInfo.InvariantCulture)}";

    private static string Bool(bool b) => b ? "true" : "false";
}
