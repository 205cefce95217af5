namespace FastPath.Model.Diagnostics;

/// <summary>Every diagnostic FastPath reports, in one place. Messages use Kubernetes' and CoreDNS's own field names.</summary>
public static class Descriptors
{
    private const DiagnosticSeverity E = DiagnosticSeverity.Error, W = DiagnosticSeverity.Warning, I = DiagnosticSeverity.Info;

    // Input files and YAML shape
    public static readonly DiagnosticDescriptor YamlSyntax = new("FP0001", E, "YAML syntax error", "YAML syntax error: {0}");
    public static readonly DiagnosticDescriptor NotAnObject = new("FP0002", E, "Not a Kubernetes object", "{0}");
    public static readonly DiagnosticDescriptor UnknownKind = new("FP0003", W, "Unknown kind", "kind '{0}' ({1}) is not used by FastPath; the object is skipped");
    public static readonly DiagnosticDescriptor MissingField = new("FP0004", E, "Required field missing", "{0} is required");
    public static readonly DiagnosticDescriptor WrongType = new("FP0005", E, "Field has the wrong type", "{0} must be {1}");
    public static readonly DiagnosticDescriptor InvalidName = new("FP0006", E, "Invalid name", "{0} '{1}' is not a valid {2}");
    public static readonly DiagnosticDescriptor Duplicate = new("FP0007", E, "Duplicate object", "{0} {1} is declared twice (first at {2})");
    public static readonly DiagnosticDescriptor InputNotFound = new("FP0008", E, "Input not found", "no such file or directory: {0}");
    public static readonly DiagnosticDescriptor NoManifests = new("FP0009", W, "No manifests", "no .yaml, .yml or .json files found in {0}");

    // Service
    public static readonly DiagnosticDescriptor InvalidEnum = new("FP0010", E, "Unsupported value", "{0}: unsupported value '{1}'; use one of {2}");
    public static readonly DiagnosticDescriptor DuplicatePort = new("FP0011", E, "Duplicate port", "{0} duplicates {1}");
    public static readonly DiagnosticDescriptor PortRange = new("FP0012", E, "Port out of range", "{0} must be between 1 and 65535, not {1}");
    public static readonly DiagnosticDescriptor PortNameRequired = new("FP0013", E, "Port name required", "{0} is required when a Service has more than one port");
    public static readonly DiagnosticDescriptor InvalidIp = new("FP0014", E, "Invalid IP address", "{0} '{1}' is not a valid IP address");
    public static readonly DiagnosticDescriptor ClusterIpShared = new("FP0015", W, "clusterIP shared", "{0}: Invalid value: \"{1}\": failed to allocate IP {1}: provided IP is already allocated (by Service {2}); the API server would refuse this, CoreDNS and kube-proxy serve both");
    public static readonly DiagnosticDescriptor ClusterIpOutsideCidr = new("FP0016", E, "clusterIP outside the service CIDR", "{0}: Invalid value: \"{1}\": failed to allocate IP {1}: the provided IP ({1}) is not in the valid range. The range of valid IPs is {2}");
    public static readonly DiagnosticDescriptor ExternalNameInvalid = new("FP0017", E, "Invalid externalName", "spec.externalName '{0}' must be a DNS-1123 subdomain (lower-case labels of letters, digits and '-', separated by '.')");
    public static readonly DiagnosticDescriptor ExternalNameField = new("FP0018", E, "Field not allowed on ExternalName", "{0} must not be set on a Service of type ExternalName");
    public static readonly DiagnosticDescriptor AffinityTimeout = new("FP0019", E, "Affinity timeout out of range", "spec.sessionAffinityConfig.clientIP.timeoutSeconds must be between 1 and 86400, not {0}");
    public static readonly DiagnosticDescriptor NodePortRange = new("FP0020", E, "nodePort out of range", "{0}: Invalid value: {1}: provided port is not in the valid range. The range of valid ports is {2}");
    public static readonly DiagnosticDescriptor NodePortTaken = new("FP0021", E, "nodePort taken twice", "{0}: Invalid value: {1}: provided port is already allocated (by Service {2})");
    public static readonly DiagnosticDescriptor NodePortNotAllowed = new("FP0022", E, "nodePort not allowed", "{0} may be set only on Services of type NodePort or LoadBalancer");
    public static readonly DiagnosticDescriptor LowerCaseProtocol = new("FP0023", W, "Protocol spelled in lower case", "{0} '{1}' should be '{2}'; read as '{2}' as kube-proxy and CoreDNS do");
    public static readonly DiagnosticDescriptor IpFamilyMismatch = new("FP0024", E, "IP family mismatch", "{0}");
    public static readonly DiagnosticDescriptor AffinityConfigWithoutClientIp = new("FP0025", E, "sessionAffinityConfig without ClientIP", "spec.sessionAffinityConfig may be set only with spec.sessionAffinity: ClientIP");
    public static readonly DiagnosticDescriptor BadAnnotation = new("FP0027", E, "Invalid FastPath annotation", "metadata.annotations['{0}'] '{1}' is invalid: {2}");
    public static readonly DiagnosticDescriptor HeadlessWithPolicy = new("FP0026", W, "Ignored field", "{0} has no effect on this Service and is ignored");

    // EndpointSlice / Endpoints
    public static readonly DiagnosticDescriptor SliceWithoutService = new("FP0030", W, "EndpointSlice without Service", "{0} names Service '{1}', which is not among the manifests; CoreDNS and kube-proxy ignore it until the Service exists");
    public static readonly DiagnosticDescriptor SliceWithoutLabel = new("FP0031", W, "EndpointSlice without service label", "EndpointSlice {0} has no 'kubernetes.io/service-name' label; it belongs to no Service and is ignored");
    public static readonly DiagnosticDescriptor EndpointAddressFamily = new("FP0032", E, "Endpoint address family", "{0} '{1}' does not match addressType {2}");
    public static readonly DiagnosticDescriptor EndpointNoAddress = new("FP0033", E, "Endpoint without address", "{0} must hold at least one address");
    public static readonly DiagnosticDescriptor EndpointsAndSlices = new("FP0034", I, "Endpoints and EndpointSlices", "Endpoints {0} is ignored because EndpointSlices for the Service are given");

    // Pod / Node
    public static readonly DiagnosticDescriptor PodIpMismatch = new("FP0040", E, "podIP mismatch", "status.podIP {0} must equal status.podIPs[0].ip {1}");
    public static readonly DiagnosticDescriptor PodDnsConfig = new("FP0041", E, "Invalid spec.dnsConfig", "{0}");

    // ConfigMap / Corefile
    public static readonly DiagnosticDescriptor ConfigMapWithoutCorefile = new("FP0050", E, "coredns ConfigMap without Corefile", "ConfigMap kube-system/coredns has no data.Corefile key");
    public static readonly DiagnosticDescriptor CorefileSyntax = new("FP0051", E, "Corefile syntax error", "{0}");
    public static readonly DiagnosticDescriptor UnknownPlugin = new("FP0052", W, "Unknown Corefile plugin", "plugin '{0}' is not implemented by FastPath; it is ignored");
    public static readonly DiagnosticDescriptor PluginOption = new("FP0053", E, "Invalid plugin option", "{0}: {1}");
    public static readonly DiagnosticDescriptor UnsetEnvironment = new("FP0054", W, "Environment variable not set", "{{${0}}} is not set; it is replaced by an empty string, as CoreDNS does");
    public static readonly DiagnosticDescriptor NoKubernetesBlock = new("FP0055", W, "No kubernetes plugin", "the Corefile has no kubernetes plugin: no cluster names are answered");
    public static readonly DiagnosticDescriptor ServiceCidr = new("FP0056", E, "Invalid service CIDR", "service CIDR '{0}' is not a valid CIDR");

    // Added for reliability (issue 17): the API server's own wording (field.Error), input limits, Corefile parity.
    public static readonly DiagnosticDescriptor InvalidValue = new("FP0057", E, "Invalid value", "{0}: Invalid value: {1}: {2}");
    public static readonly DiagnosticDescriptor RequiredValue = new("FP0058", E, "Required value", "{0}: Required value{1}");
    public static readonly DiagnosticDescriptor TooLong = new("FP0059", E, "Too long", "{0}: Too long: may not be more than {1} bytes");
    public static readonly DiagnosticDescriptor Forbidden = new("FP0060", E, "Forbidden", "{0}: Forbidden: {1}");
    public static readonly DiagnosticDescriptor DuplicateValue = new("FP0061", E, "Duplicate value", "{0}: Duplicate value: {1}");
    public static readonly DiagnosticDescriptor InputLimit = new("FP0062", E, "Input over a limit", "{0}; the limit is {1} (LoadOptions.Limits.{2})");
    public static readonly DiagnosticDescriptor InputEncoding = new("FP0063", E, "Not UTF-8 text", "{0}; a manifest must be UTF-8 text");
    public static readonly DiagnosticDescriptor DuplicateKey = new("FP0064", E, "Duplicate key", "mapping key '{0}' is given twice (first at line {1}); the API server rejects duplicate fields");
    public static readonly DiagnosticDescriptor PluginOptionNotHonoured = new("FP0065", W, "Plugin option not honoured", "{0}: {1} is valid for CoreDNS but FastPath cannot honour it here: {2}");
    public static readonly DiagnosticDescriptor ApiServerWouldRefuse = new("FP0066", W, "The API server would refuse this", "{0}; the API server would refuse this object, CoreDNS and kube-proxy serve it as it is");
}
