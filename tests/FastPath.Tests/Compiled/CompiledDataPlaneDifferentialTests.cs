using System;
using System.Linq;
using System.Net;
using FastPath.Compiled;
using FastPath.Model;
using FastPath.Model.Loading;
using FastPath.Reference.DataPlane;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace FastPath.Tests.Compiled;

/// <summary>Generated selectors decide and choose exactly as the reference data plane; the environment agrees.</summary>
public class CompiledDataPlaneDifferentialTests
{
    private static readonly Cluster Demo = ClusterLoader.LoadPaths([TestClusters.DemoPath]).Cluster!;

    internal static void AssertSameDecisions(Cluster cluster, CompiledDataPlane plane)
    {
        var nodes = cluster.Nodes.Select(n => (string?)n.Name).Append(null).Append("node-unknown").ToList();
        int ports = 0;
        foreach (var svc in cluster.Services.Where(s => s.IsProxied))
            foreach (var port in svc.Ports)
            {
                var handle = plane.Find(svc.Namespace, svc.Name, port.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))!;
                Assert.NotNull(handle);
                ports++;
                foreach (var node in nodes)
                    foreach (var external in new[] { false, true })
                    {
                        var want = EndpointCategorizer.Decide(cluster, svc, port, new TrafficSource(node, external));
                        if (want.Action == Runtime.ProxyAction.NotProxied) continue;
                        var got = handle.Decide(node, external);
                        Assert.Equal((want.Action, string.Join(",", want.Endpoints.Select(e => e.Key))),
                            (got.Action, string.Join(",", got.Eligible.Select(i => handle.Endpoints[i]))));
                    }
            }
        Assert.True(ports > 0);
    }

    [Fact]
    public void Decisions_match_the_reference_for_every_port_node_and_source() =>
        AssertSameDecisions(Demo, CompiledClusters.For(Demo).Get<CompiledDataPlane>("DataPlane"));

    [Fact]
    public void SelectIndex_names_the_endpoint_Select_does_and_a_reconfigured_plane_forgets_its_templates()
    {
        var plane = FastPath.Compiler.ClusterCompiler.Compile(Demo).Get<CompiledDataPlane>("DataPlane");
        plane.Configure(new FakeTimeProvider());
        var client = IPAddress.Parse("192.0.2.9");
        int sticky = 0;
        foreach (var svc in Demo.Services.Where(s => s.IsProxied))
            foreach (var port in svc.Ports)
            {
                var handle = plane.Find(svc.Namespace, svc.Name, port.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))!;
                if (handle.AffinityTimeoutSeconds == 0 || handle.Decide("node-a").Action != Runtime.ProxyAction.Forward) continue;
                var key = Runtime.IpKey.From(client);
                var first = handle.Select(key, "node-a");
                int index = handle.SelectIndex(key, "node-a", false, out bool again);
                // The same node again: the remembered selector, the template the first selection wrote.
                Assert.Equal((first.Endpoint, true), (handle.Endpoints[index], again));
                // A new table: the remembered selector wrote to the old one and must not be used.
                plane.Configure(new FakeTimeProvider());
                int fresh = handle.SelectIndex(key, "node-a", false, out bool freshSticky);
                Assert.False(freshSticky);
                Assert.Equal(handle.Select(key, "node-a"), new ConnectionSelection(Runtime.ProxyAction.Forward, handle.Endpoints[fresh], true));
                sticky++;
            }
        Assert.True(sticky > 0);
    }

    [Fact]
    public void Selections_with_affinity_and_a_clock_match_the_reference()
    {
        var compiled = FastPath.Compiler.ClusterCompiler.Compile(Demo);
        var plane = compiled.Get<CompiledDataPlane>("DataPlane");
        var refTime = new FakeTimeProvider();
        var genTime = new FakeTimeProvider();
        plane.Configure(genTime);
        var reference = new ReferenceDataPlane(Demo, refTime);
        var clients = new[] { "10.1.0.1", "10.1.0.2", "192.0.2.9" }.Select(IPAddress.Parse).ToArray();
        int checkedSteps = 0;
        foreach (var svc in Demo.Services.Where(s => s.IsProxied))
            foreach (var port in svc.Ports)
            {
                var handle = plane.Find(svc.Namespace, svc.Name, port.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))!;
                foreach (var node in new string?[] { "node-a", "node-b", null })
                    for (int step = 0; step < 12; step++)
                    {
                        var client = clients[step % clients.Length];
                        var want = reference.Connect(svc, port, TrafficSource.Internal(node), client);
                        var got = handle.Select(client, node);
                        Assert.Equal((want.Decision.Action, want.Endpoint, want.Sticky), (got.Action, got.Endpoint, got.Sticky));
                        var step2 = TimeSpan.FromSeconds(step % 4 == 3 ? 4000 : 30);
                        refTime.Advance(step2); genTime.Advance(step2);
                        checkedSteps++;
                    }
            }
        Assert.True(checkedSteps > 100);
    }

    [Fact]
    public void Environment_matches_the_reference_in_every_namespace()
    {
        var compiled = CompiledClusters.For(Demo);
        var env = compiled.Type.GetMethod("Environment")!;
        foreach (var ns in Demo.Namespaces.Append("nowhere"))
            foreach (var links in new[] { true, false })
            {
                var want = ServiceEnvironment.For(Demo, ns, links).Select(kv => kv.Key + "=" + kv.Value);
                var got = ((System.Collections.Generic.IReadOnlyList<System.Collections.Generic.KeyValuePair<string, string>>)env.Invoke(null, [ns, links])!)
                    .Select(kv => kv.Key + "=" + kv.Value);
                Assert.Equal(want, got);
            }
    }
}
