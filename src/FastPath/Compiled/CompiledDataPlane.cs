using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using FastPath.Runtime.Affinity;

namespace FastPath.Compiled;

/// <summary>The service ports of a compiled cluster and the persistence table their ClientIP affinity shares.</summary>
public sealed class CompiledDataPlane
{
    private readonly Dictionary<string, ServicePortHandle> _byName = new(StringComparer.Ordinal);
    private PersistenceTable _table = new(1 << 16);
    private int _generation;

    public CompiledDataPlane() { }

    public IReadOnlyList<ServicePortHandle> Ports => _ports;
    private readonly List<ServicePortHandle> _ports = new();

    public PersistenceTable Persistence => Volatile.Read(ref _table);
    internal int Generation => Volatile.Read(ref _generation);

    /// <summary>Replaces the persistence table (its clock and capacity) and forgets scheduler state: for tests and simulations.</summary>
    public void Configure(TimeProvider? time = null, int persistenceCapacity = 1 << 16)
    {
        Volatile.Write(ref _table, new PersistenceTable(persistenceCapacity, time));
        Interlocked.Increment(ref _generation);
    }

    /// <summary>Builds the data plane from the plan bytes generated code carries.</summary>
    public static CompiledDataPlane FromPlan(System.Collections.Generic.IReadOnlyList<Model.Planning.PortPlan> ports)
    {
        var plane = new CompiledDataPlane();
        foreach (var p in ports)
        {
            var decisions = new CompiledDecision[p.Decisions.Count];
            for (int i = 0; i < decisions.Length; i++)
            {
                var d = p.Decisions[i];
                decisions[i] = new CompiledDecision(d.Node, d.External, (Runtime.ProxyAction)d.Action, [.. d.Eligible], d.Reason);
            }
            plane.Add(new ServicePortHandle(plane, p.Namespace, p.Service, p.PortName, p.Port, p.Protocol, p.NodePort, p.ClusterIP, p.ExternalVip,
                [.. p.Endpoints], [.. p.Weights], p.Scheduler, p.AffinityTimeout, decisions));
        }
        return plane;
    }

    /// <summary>Registers a port.</summary>
    public ServicePortHandle Add(ServicePortHandle handle)
    {
        _ports.Add(handle);
        _byName[$"{handle.Namespace}/{handle.Service}/{handle.Port.ToString(CultureInfo.InvariantCulture)}"] = handle;
        if (handle.PortName is not null) _byName[$"{handle.Namespace}/{handle.Service}/{handle.PortName}"] = handle;
        return handle;
    }

    /// <summary>A port by namespace, service and port name or number; null when there is none.</summary>
    public ServicePortHandle? Find(string ns, string service, string port) =>
        _byName.TryGetValue($"{ns}/{service}/{port}", out var h) ? h : null;
}

/// <summary>The kubelet's service variables per namespace, planned at build time.</summary>
public static class CompiledEnvironmentFactory
{
    public static CompiledEnvironment FromPlan(System.Collections.Generic.IReadOnlyList<Model.Planning.EnvironmentPlan> plans)
    {
        var map = new Dictionary<string, (KeyValuePair<string, string>[], KeyValuePair<string, string>[])>(StringComparer.Ordinal);
        KeyValuePair<string, string>[] master = [];
        foreach (var e in plans)
        {
            map[e.Namespace] = ([.. e.WithLinks], [.. e.WithoutLinks]);
            master = [.. e.WithoutLinks]; // without links every namespace gets the master service alone
        }
        return new CompiledEnvironment(map, master);
    }
}

/// <summary>The kubelet's service variables per namespace.</summary>
public sealed class CompiledEnvironment(IReadOnlyDictionary<string, (KeyValuePair<string, string>[] Links, KeyValuePair<string, string>[] NoLinks)> byNamespace,
    KeyValuePair<string, string>[] masterOnly)
{
    /// <summary>The variables for a pod in <paramref name="ns"/>; a namespace with no Services gets the master service's alone.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> For(string ns, bool enableServiceLinks = true) =>
        byNamespace.TryGetValue(ns, out var v) ? (enableServiceLinks ? v.Links : v.NoLinks) : masterOnly;
}
