using System.Collections.Generic;
using FastPath.Model.Corefile.Plugins;

namespace FastPath.Model.Planning;

/// <summary>
/// The serving plugins that run ahead of the kubernetes lookup (rewrite, autopath, hosts), planned per server block:
/// <see cref="ChainOfRoute"/> gives, per route of the <see cref="DnsPlan"/> (same order), the index of its block's
/// chain in <see cref="Chains"/>, or -1 when the block has none of them.
/// </summary>
public sealed record PluginPlan(IReadOnlyList<int> ChainOfRoute, IReadOnlyList<ChainPlan> Chains);

/// <summary>One server block's plugins, in CoreDNS's order: rewrite, autopath, hosts (then kubernetes, forward).</summary>
public sealed record ChainPlan(RewritePlan? Rewrite, AutopathPlan? Autopath, HostsPlan? Hosts);

/// <summary>rewrite name rules, in order (plugin/rewrite/name.go).</summary>
public sealed record RewritePlan(IReadOnlyList<RewriteRule> Rules);

/// <summary>
/// hosts (plugin/hosts): every name with its addresses and every address with its names, in the order the entries
/// give them (addresses as canonical text), and the plugin's options.
/// </summary>
public sealed record HostsPlan(IReadOnlyList<string> Zones, uint Ttl, bool NoReverse, IReadOnlyList<string>? Fallthrough,
    IReadOnlyList<HostsName> Names, IReadOnlyList<HostsAddress> Addresses);

/// <summary>A hosts name (lower-case, fully qualified) and its addresses, IPv4 and IPv6 mixed, in entry order.</summary>
public sealed record HostsName(string Name, IReadOnlyList<string> Addresses);

/// <summary>An address of the hosts entries (canonical text) and the names it has, in entry order: its PTR answer.</summary>
public sealed record HostsAddress(string Address, IReadOnlyList<string> Names);

/// <summary>
/// autopath @kubernetes (plugin/autopath, plugin/kubernetes/autopath.go): the zones autopath serves, the kubernetes
/// zones the search path is built from, and each pod address's namespace (the client pod's search path is
/// <c>NS.svc.ZONE svc.ZONE ZONE</c> and the bare name).
/// </summary>
public sealed record AutopathPlan(IReadOnlyList<string> Zones, IReadOnlyList<string> KubernetesZones, IReadOnlyList<PodAddress> Pods);

/// <summary>A pod address (canonical text) and the namespace of the first live pod that has it.</summary>
public sealed record PodAddress(string Address, string Namespace);
