using System.Collections.Generic;
using System.Linq;
using FastPath.Model.Diagnostics;
using FastPath.Model.Net;

namespace FastPath.Model.Loading;

/// <summary>
/// Reads a v1 Service and applies the API server's defaults and per-object validation
/// (pkg/apis/core/v1/defaults.go, pkg/apis/core/validation). Cross-object checks and IP allocation
/// happen later in <see cref="ClusterAssembler"/>.
/// </summary>
internal static class ServiceReader
{
    public const int DefaultAffinityTimeout = 10800; // DefaultClientIPServiceAffinitySeconds (3 h)
    public const int MaxAffinityTimeout = 86400;

    public static Service? Read(YNode root, PortRange nodePortRange)
    {
        var bag = root.Bag;
        var meta = MetaReader.Read(root);
        if (meta is null) return null;
        bool ok = true;
        if (!DnsNames.IsDns1035Label(meta.Name))
        {
            bag.Report(Descriptors.InvalidName, meta.Location, "metadata.name", meta.Name, "DNS-1035 label (lower-case letters, digits and '-', starting with a letter, at most 63 characters)");
            ok = false;
        }
        ok &= MetaReader.Validate(root, NameRule.Checked);
        var spec = root.Map("spec") ?? new YNode(YamlValue.EmptyMapping(1, 1), root.File, "spec", bag);

        var type = ReadEnum(spec, "type", ServiceType.ClusterIP, ref ok);
        var clusterIPs = ReadClusterIPs(spec, type, ref ok);
        var families = ReadFamilies(spec, ref ok);
        var ports = ReadPorts(spec, type, nodePortRange, ref ok);
        bool headless = clusterIPs.Count > 0 && clusterIPs[0] == "None";
        if (ports.Count == 0 && !headless && type != ServiceType.ExternalName)
        {
            // CoreDNS's own test clusters hold such Services (and the conformance kit with them), so this stays a
            // warning, as a shared clusterIP does: the answer is defined, only the API server's admission differs.
            bag.Report(Descriptors.ApiServerWouldRefuse, (spec.Get("ports") ?? root.Get("spec") ?? root).Location, "spec.ports: Required value");
        }
        if (headless && type is ServiceType.NodePort or ServiceType.LoadBalancer)
        {
            var at = spec.Get("clusterIPs") ?? spec.Get("clusterIP")!;
            at.Invalid("None", $"may not be set to 'None' for {type} services", "spec.clusterIPs[0]");
            ok = false;
        }
        ok &= ValidateFamilies(spec, type, clusterIPs, families);

        ok &= MetaReader.ValidateLabels(spec.Map("selector"));
        IReadOnlyDictionary<string, string>? selector = spec.Get("selector") is null ? null : spec.StrMap("selector");
        if (selector is { Count: 0 }) selector = null; // an empty selector selects nothing, as a nil one does

        string? externalName = spec.Str("externalName");
        if (type == ServiceType.ExternalName)
        {
            var enNode = spec.Get("externalName");
            if (string.IsNullOrEmpty(externalName))
            {
                bag.Report(Descriptors.MissingField, spec.Location, "spec.externalName (for type ExternalName)");
                ok = false;
            }
            else if (!DnsNames.IsDns1123Subdomain(externalName!.TrimEnd('.')))
            {
                bag.Report(Descriptors.ExternalNameInvalid, enNode!.Location, externalName);
                ok = false;
            }
            if (selector is not null)
            {
                bag.Report(Descriptors.ExternalNameField, spec.Get("selector")!.Location, "spec.selector");
                ok = false;
            }
        }

        var sessionAffinity = ReadEnum(spec, "sessionAffinity", SessionAffinity.None, ref ok);
        int timeout = 0;
        var timeoutNode = spec.Map("sessionAffinityConfig")?.Map("clientIP")?.Get("timeoutSeconds");
        if (sessionAffinity == SessionAffinity.ClientIP)
        {
            timeout = DefaultAffinityTimeout;
            if (timeoutNode is not null && timeoutNode.AsInt() is int t)
            {
                if (t < 1 || t > MaxAffinityTimeout)
                {
                    bag.Report(Descriptors.AffinityTimeout, timeoutNode.Location, t);
                    ok = false;
                }
                timeout = t;
            }
        }
        else if (timeoutNode is not null)
        {
            bag.Report(Descriptors.AffinityConfigWithoutClientIp, timeoutNode.Location);
            ok = false;
        }

        var itp = ReadEnum(spec, "internalTrafficPolicy", TrafficPolicy.Cluster, ref ok);
        var etp = ReadEnum(spec, "externalTrafficPolicy", TrafficPolicy.Cluster, ref ok);
        var externalIPs = spec.StrList("externalIPs");
        foreach (var (ip, i) in externalIPs.Select((x, i) => (x, i)))
        {
            if (!IpText.IsValid(ip)) { bag.Report(Descriptors.InvalidIp, spec.Get("externalIPs")!.Location, $"spec.externalIPs[{i}]", ip); ok = false; }
            else ok &= spec.Get("externalIPs")!.Check(ApiRules.NonSpecialIp(ip), ip, $"spec.externalIPs[{i}]");
        }
        // validateServiceExternalTrafficPolicy: only externally reachable Services carry externalTrafficPolicy and
        // a healthCheckNodePort, and the latter only with LoadBalancer + Local.
        bool externallyAccessible = type is ServiceType.NodePort or ServiceType.LoadBalancer || (type == ServiceType.ClusterIP && externalIPs.Count > 0);
        if (!externallyAccessible && spec.Get("externalTrafficPolicy") is { } etpNode)
        {
            // kube-proxy ignores the field on such a Service, so the answer does not depend on it: a warning.
            bag.Report(Descriptors.ApiServerWouldRefuse, etpNode.Location, $"spec.externalTrafficPolicy: Invalid value: {ApiRules.Show(etpNode.AsString())}: may only be set for externally-accessible services");
        }
        if (spec.Get("healthCheckNodePort") is { } hcNode && hcNode.AsInt() is int hc && hc != 0)
        {
            if (!(type == ServiceType.LoadBalancer && etp == TrafficPolicy.Local))
            { hcNode.Invalid(hc, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"); ok = false; }
            else if (!nodePortRange.Contains(hc))
            { bag.Report(Descriptors.NodePortRange, hcNode.Location, hcNode.Path, hc, nodePortRange); ok = false; }
        }

        var ingress = new List<LoadBalancerIngress>();
        foreach (var ing in root.Map("status")?.Map("loadBalancer")?.Seq("ingress") ?? [])
        {
            var ip = ing.Str("ip");
            if (ip is not null && !IpText.IsValid(ip)) { bag.Report(Descriptors.InvalidIp, ing.Get("ip")!.Location, ing.Path + ".ip", ip); ok = false; continue; }
            // The API server defaults ipMode to VIP for an ingress entry that has an IP.
            ingress.Add(new LoadBalancerIngress(ip, ing.Str("hostname"), ing.Str("ipMode") ?? (ip is null ? null : "VIP")));
        }
        string? lbIp = spec.Str("loadBalancerIP");
        if (lbIp is { Length: > 0 } && !IpText.IsValid(lbIp)) { bag.Report(Descriptors.InvalidIp, spec.Get("loadBalancerIP")!.Location, "spec.loadBalancerIP", lbIp); ok = false; }

        var annotations = MetaReader.Annotations(root);
        var where = root.Map("metadata")?.Map("annotations")?.Location ?? meta.Location;
        if (annotations.TryGetValue(ServiceAnnotations.Scheduler, out var sched) && !ServiceAnnotations.Schedulers.Contains(sched))
        { bag.Report(Descriptors.BadAnnotation, where, ServiceAnnotations.Scheduler, sched, "use one of " + string.Join(", ", ServiceAnnotations.Schedulers)); ok = false; }
        if (annotations.TryGetValue(ServiceAnnotations.Weights, out var weights) && ServiceAnnotations.ParseWeights(weights) is null)
        { bag.Report(Descriptors.BadAnnotation, where, ServiceAnnotations.Weights, weights, "write IP=WEIGHT pairs separated by commas, weights 0-65535"); ok = false; }

        bool? allocateNodePorts = spec.Bool("allocateLoadBalancerNodePorts");
        if (allocateNodePorts is not null && type != ServiceType.LoadBalancer)
        {
            bag.Report(Descriptors.Forbidden, spec.Get("allocateLoadBalancerNodePorts")!.Location, "spec.allocateLoadBalancerNodePorts", "may only be used when `type` is 'LoadBalancer'");
            ok = false;
        }
        if (type == ServiceType.LoadBalancer && allocateNodePorts is null) allocateNodePorts = true;

        if (type == ServiceType.ExternalName && clusterIPs.Count > 0)
        {
            bag.Report(Descriptors.ExternalNameField, (spec.Get("clusterIP") ?? spec.Get("clusterIPs"))!.Location, "spec.clusterIP");
            ok = false;
        }

        return ok ? new Service
        {
            Meta = meta,
            Type = type,
            ClusterIPs = clusterIPs,
            IpFamilies = families,
            IpFamilyPolicy = spec.Str("ipFamilyPolicy"),
            Ports = ports,
            Selector = selector,
            ExternalName = type == ServiceType.ExternalName ? externalName : null,
            ExternalIPs = externalIPs,
            LoadBalancerIP = lbIp,
            LoadBalancerIngress = ingress,
            SessionAffinity = sessionAffinity,
            AffinityTimeoutSeconds = timeout,
            InternalTrafficPolicy = itp,
            ExternalTrafficPolicy = etp,
            HealthCheckNodePort = spec.Int("healthCheckNodePort") ?? 0,
            PublishNotReadyAddresses = spec.Bool("publishNotReadyAddresses") ?? false,
            AllocateLoadBalancerNodePorts = allocateNodePorts,
            Labels = MetaReader.Labels(root),
            Annotations = annotations,
        } : null;
    }

    private static T ReadEnum<T>(YNode spec, string key, T fallback, ref bool ok) where T : struct, System.Enum
    {
        var n = spec.Get(key);
        var text = n?.AsString();
        if (n is null || string.IsNullOrEmpty(text)) return fallback;
        // By name, not Enum.GetValues(Type): that array of T has to be made at run time, which Native AOT cannot do.
        foreach (var name in System.Enum.GetNames(typeof(T)))
            if (name == text) return (T)System.Enum.Parse(typeof(T), name);
        spec.Bag.Report(Descriptors.InvalidEnum, n.Location, n.Path, text!, string.Join(", ", System.Enum.GetNames(typeof(T))));
        ok = false;
        return fallback;
    }

    private static IReadOnlyList<string> ReadClusterIPs(YNode spec, ServiceType type, ref bool ok)
    {
        var single = spec.Str("clusterIP");
        var list = spec.StrList("clusterIPs").ToList();
        if (list.Count == 0 && !string.IsNullOrEmpty(single)) list.Add(single!);
        if (list.Count > 0 && !string.IsNullOrEmpty(single) && list[0] != single)
        {
            spec.Bag.Report(Descriptors.IpFamilyMismatch, spec.Get("clusterIPs")!.Location, $"spec.clusterIPs[0] ({list[0]}) must equal spec.clusterIP ({single})");
            ok = false;
        }
        if (list.Count > 2)
        {
            spec.Bag.Report(Descriptors.IpFamilyMismatch, spec.Get("clusterIPs")!.Location, "spec.clusterIPs may hold at most two addresses, one per IP family");
            ok = false;
        }
        if (list.Count > 0 && list[0] == "None")
        {
            if (list.Count > 1) { spec.Bag.Report(Descriptors.IpFamilyMismatch, spec.Get("clusterIPs")!.Location, "a headless Service (clusterIP None) must not list other clusterIPs"); ok = false; }
            return ["None"];
        }
        var where = spec.Get("clusterIPs") ?? spec.Get("clusterIP");
        for (int i = 0; i < list.Count; i++)
        {
            if (!IpText.IsValid(list[i]))
            {
                spec.Bag.Report(Descriptors.InvalidIp, where!.Location, spec.Get("clusterIPs") is null ? "spec.clusterIP" : $"spec.clusterIPs[{i}]", list[i]);
                ok = false;
            }
        }
        if (list.Count == 2 && IpText.IsIPv6(list[0]) == IpText.IsIPv6(list[1]))
        {
            spec.Bag.Report(Descriptors.IpFamilyMismatch, where!.Location, "spec.clusterIPs must hold one IPv4 and one IPv6 address");
            ok = false;
        }
        return list;
    }

    private static IReadOnlyList<IpFamily> ReadFamilies(YNode spec, ref bool ok)
    {
        var result = new List<IpFamily>();
        foreach (var f in spec.Seq("ipFamilies"))
        {
            switch (f.AsString())
            {
                case "IPv4": result.Add(IpFamily.IPv4); break;
                case "IPv6": result.Add(IpFamily.IPv6); break;
                default: spec.Bag.Report(Descriptors.InvalidEnum, f.Location, f.Path, f.AsString() ?? "", "IPv4, IPv6"); ok = false; break;
            }
        }
        return result;
    }

    /// <summary>
    /// validateIPFamilies and ValidateService's clusterIPs/ipFamilies agreement: the policy is one of three, no
    /// family twice, two families or addresses only with a dual-stack policy, and clusterIPs[i] of family ipFamilies[i].
    /// </summary>
    private static bool ValidateFamilies(YNode spec, ServiceType type, IReadOnlyList<string> clusterIPs, IReadOnlyList<IpFamily> families)
    {
        bool ok = true;
        var policyNode = spec.Get("ipFamilyPolicy");
        var policy = policyNode?.AsString();
        var familiesNode = spec.Get("ipFamilies");
        if (type == ServiceType.ExternalName)
        {
            if (policyNode is not null) { spec.Bag.Report(Descriptors.Forbidden, policyNode.Location, "spec.ipFamilyPolicy", "must not be set for ExternalName services"); ok = false; }
            if (familiesNode is not null && families.Count > 0) { spec.Bag.Report(Descriptors.Forbidden, familiesNode.Location, "spec.ipFamilies", "must not be set for ExternalName services"); ok = false; }
            return ok;
        }
        if (policyNode is not null && policy is not ("SingleStack" or "PreferDualStack" or "RequireDualStack"))
        {
            spec.Bag.Report(Descriptors.InvalidEnum, policyNode.Location, "spec.ipFamilyPolicy", policy ?? "", "SingleStack, PreferDualStack, RequireDualStack");
            ok = false;
        }
        if (families.Count > 2) { spec.Bag.Report(Descriptors.InvalidValue, familiesNode!.Location, "spec.ipFamilies", families.Count, "may specify no more than one IP for each IP family, i.e 2 IPs"); ok = false; }
        else if (families.Count == 2 && families[0] == families[1])
        { spec.Bag.Report(Descriptors.DuplicateValue, familiesNode!.Location, "spec.ipFamilies[1]", ApiRules.Show(families[1].ToString())); ok = false; }
        if (policy == "SingleStack" && (families.Count > 1 || clusterIPs.Count > 1))
        {
            policyNode!.Invalid(policy, families.Count > 1 ? "must be 'RequireDualStack' or 'PreferDualStack' when multiple 'ipFamilies' are specified"
                                                            : "must be 'RequireDualStack' or 'PreferDualStack' when multiple 'clusterIPs' are specified");
            ok = false;
        }
        bool headless = clusterIPs.Count > 0 && clusterIPs[0] == "None";
        if (!headless)
        {
            var ipNode = spec.Get("clusterIPs") ?? spec.Get("clusterIP");
            for (int i = 0; i < clusterIPs.Count && i < families.Count; i++)
            {
                if (!IpText.IsValid(clusterIPs[i])) continue;
                var fam = IpText.IsIPv6(clusterIPs[i]) ? IpFamily.IPv6 : IpFamily.IPv4;
                if (fam != families[i])
                {
                    ipNode!.Invalid(clusterIPs[i], $"expected an {families[i]} value as indicated by `ipFamilies[{i}]`", $"spec.clusterIPs[{i}]");
                    ok = false;
                }
            }
        }
        return ok;
    }

    private static IReadOnlyList<ServicePort> ReadPorts(YNode spec, ServiceType type, PortRange nodePortRange, ref bool ok)
    {
        var nodes = spec.Seq("ports");
        var ports = new List<ServicePort>();
        var names = new Dictionary<string, string>();
        var numbers = new Dictionary<string, string>();
        var nodePorts = new HashSet<string>();
        foreach (var p in nodes)
        {
            var name = p.Str("name");
            if (string.IsNullOrEmpty(name))
            {
                name = null;
                if (nodes.Count > 1) { spec.Bag.Report(Descriptors.PortNameRequired, p.Location, p.Path + ".name"); ok = false; }
            }
            else if (!DnsNames.IsDns1123Label(name!))
            {
                // Service port names are DNS-1123 labels (ValidateDNS1123Label in validateServicePort).
                spec.Bag.Report(Descriptors.InvalidName, p.Get("name")!.Location, p.Path + ".name", name!, "DNS-1123 label");
                ok = false;
            }
            else if (names.TryGetValue(name!, out var first))
            {
                spec.Bag.Report(Descriptors.DuplicatePort, p.Get("name")!.Location, p.Path + ".name", first);
                ok = false;
            }
            else names[name!] = p.Path + ".name";

            var protocol = ProtocolReader.Read(p);
            int? portValue = p.Int("port");
            int port = portValue ?? 0;
            if (p.Get("port") is null) { spec.Bag.Report(Descriptors.MissingField, p.Location, p.Path + ".port"); ok = false; }
            else if (portValue is null) ok = false; // the wrong type is already reported
            else if (port < 1 || port > 65535) { spec.Bag.Report(Descriptors.PortRange, p.Get("port")!.Location, p.Path + ".port", port); ok = false; }
            // Duplicates are checked among ports that have a number: two ports both missing one are already errors,
            // and "0/TCP" twice is not a duplicate to report (nor has a location to report it at).
            var key = port + "/" + protocol;
            if (portValue is not null)
            {
                if (numbers.TryGetValue(key, out var firstNum)) { spec.Bag.Report(Descriptors.DuplicatePort, p.Get("port")!.Location, p.Path, firstNum); ok = false; }
                else numbers[key] = p.Path;
            }

            int target = port;
            string? targetName = null;
            var tp = p.Get("targetPort");
            if (tp is not null)
            {
                if (tp.IsIntScalar)
                {
                    target = tp.AsInt() ?? 0;
                    if (target == 0) target = port; // 0 means "unset": defaulted to port
                    else if (target < 1 || target > 65535) { spec.Bag.Report(Descriptors.PortRange, tp.Location, tp.Path, target); ok = false; }
                }
                else
                {
                    targetName = tp.AsString();
                    if (string.IsNullOrEmpty(targetName)) targetName = null;
                    else if (!DnsNames.IsPortName(targetName!)) { spec.Bag.Report(Descriptors.InvalidName, tp.Location, tp.Path, targetName!, "container port name (IANA_SVC_NAME)"); ok = false; }
                    else target = 0;
                }
            }

            int nodePort = p.Int("nodePort") ?? 0;
            var npNode = p.Get("nodePort");
            if (nodePort != 0 && type is not (ServiceType.NodePort or ServiceType.LoadBalancer))
            {
                spec.Bag.Report(Descriptors.NodePortNotAllowed, npNode!.Location, p.Path + ".nodePort");
                ok = false;
            }
            else if (nodePort != 0 && !nodePortRange.Contains(nodePort))
            {
                // The allocator's verdict (pkg/registry/core/service/portallocator), at the field that asked for it.
                spec.Bag.Report(Descriptors.NodePortRange, npNode!.Location, npNode.Path, nodePort, nodePortRange);
                ok = false;
            }
            else if (nodePort != 0 && !nodePorts.Add(nodePort + "/" + protocol))
            {
                spec.Bag.Report(Descriptors.DuplicateValue, npNode!.Location, npNode.Path, nodePort);
                ok = false;
            }
            var appProtocol = p.Get("appProtocol");
            if (appProtocol?.AsString() is { } ap) ok &= appProtocol.Check(ApiRules.IsQualifiedName(ap), ap);
            ports.Add(new ServicePort
            {
                Name = name, Protocol = protocol, Port = port, TargetPort = target, TargetPortName = targetName,
                NodePort = nodePort, AppProtocol = appProtocol?.AsString(),
            });
        }
        return ports;
    }
}
