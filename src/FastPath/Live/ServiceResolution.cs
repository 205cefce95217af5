using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using FastPath.Compiled;
using FastPath.Runtime;

namespace FastPath.Live;

/// <summary>Why a Service name did or did not give endpoints; integrations map it onto their own failure shape.</summary>
public enum ServiceResolutionOutcome
{
    /// <summary>The port was found and kube-proxy forwards to at least one endpoint from this node.</summary>
    Resolved,
    /// <summary><c>name.namespace</c> where the namespace does not exist: not a cluster name (a pod's resolver moves on).</summary>
    NotInCluster,
    /// <summary>No such Service in an existing namespace (or a <c>.svc</c> name).</summary>
    UnknownService,
    /// <summary>Headless and ExternalName Services are not proxied: kube-proxy has no endpoints for them.</summary>
    NotProxied,
    /// <summary>The Service has no port of that name or number.</summary>
    UnknownPort,
    /// <summary>No port was named and the Service has several.</summary>
    AmbiguousPort,
    /// <summary>kube-proxy would reject or drop the connection: no ready or serving-terminating endpoint is eligible.</summary>
    NoEligibleEndpoints,
}

/// <summary>
/// One Service port looked up in a snapshot and decided as kube-proxy would for traffic from <c>node</c>:
/// the port, its eligible endpoints ("ip:port") and, when there are none, the outcome and a sentence saying why.
/// </summary>
public sealed record ServiceResolution(ServiceResolutionOutcome Outcome, string Reason, ServicePortHandle? Port, CompiledDecision? Decision,
    IReadOnlyList<string> Endpoints)
{
    public bool Succeeded => Outcome == ServiceResolutionOutcome.Resolved;

    /// <summary>
    /// Finds <paramref name="service"/>'s port <paramref name="port"/> (a name or a number; null: the only port, else
    /// the first of <paramref name="preferredPorts"/> it has) and decides it for <paramref name="node"/>. Never throws on
    /// unknown names: the outcome says what was missing and the reason names what exists.
    /// </summary>
    public static ServiceResolution Resolve(ClusterSnapshot snapshot, ServiceName service, string? port, string? node = null,
        IReadOnlyList<int>? preferredPorts = null)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var plane = snapshot.DataPlane;
        var ports = new List<ServicePortHandle>();
        foreach (var p in plane.Ports)
            if (p.Namespace == service.Namespace && p.Service == service.Name) ports.Add(p);
        if (ports.Count == 0)
        {
            var model = snapshot.Cluster?.FindService(service.Namespace, service.Name);
            if (model is not null && !model.IsProxied)
                return Fail(ServiceResolutionOutcome.NotProxied, $"Service {service} is {(model.IsHeadless ? "headless" : "an ExternalName Service")}: kube-proxy does not proxy it");
            bool nsExists = snapshot.Cluster?.NamespaceExists(service.Namespace) ?? plane.Ports.Any(p => p.Namespace == service.Namespace);
            if (!nsExists && !service.Qualified)
                return Fail(ServiceResolutionOutcome.NotInCluster, $"namespace {service.Namespace} does not exist, so {service.Name}.{service.Namespace} is not a cluster name");
            return Fail(ServiceResolutionOutcome.UnknownService, $"Service {service} does not exist");
        }

        ServicePortHandle? chosen = null;
        if (port is not null)
        {
            chosen = plane.Find(service.Namespace, service.Name, port);
            if (chosen is null)
                return Fail(ServiceResolutionOutcome.UnknownPort, $"Service {service} has no port {(IsNumber(port) ? "" : "named ")}{port}; its ports are {Describe(ports)}");
        }
        else if (ports.Count == 1) chosen = ports[0];
        else
        {
            foreach (var preferred in preferredPorts ?? [])
                if ((chosen = ports.FirstOrDefault(p => p.Port == preferred)) is not null) break;
            if (chosen is null)
                return Fail(ServiceResolutionOutcome.AmbiguousPort, $"Service {service} has several ports ({Describe(ports)}); name one");
        }

        var decision = chosen.Decide(node, external: false);
        if (decision.Action != ProxyAction.Forward)
            return new ServiceResolution(ServiceResolutionOutcome.NoEligibleEndpoints,
                $"Service {service} port {Label(chosen)}: {decision.Reason} ({decision.Action.ToString().ToLowerInvariant()})", chosen, decision, []);
        var endpoints = new string[decision.Eligible.Length];
        for (int i = 0; i < endpoints.Length; i++) endpoints[i] = chosen.Endpoints[decision.Eligible[i]];
        return new ServiceResolution(ServiceResolutionOutcome.Resolved, decision.Reason, chosen, decision, endpoints);
    }

    private static ServiceResolution Fail(ServiceResolutionOutcome outcome, string reason) => new(outcome, reason, null, null, []);

    private static bool IsNumber(string port) => int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out _);

    private static string Label(ServicePortHandle p) =>
        p.PortName is null ? p.Port.ToString(CultureInfo.InvariantCulture) : $"{p.PortName} ({p.Port.ToString(CultureInfo.InvariantCulture)})";

    private static string Describe(List<ServicePortHandle> ports) => string.Join(", ", ports.Select(Label));
}
