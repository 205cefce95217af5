using System.Globalization;
using System.Linq;
using FastPath.Model;

namespace FastPath.Cli.Commands;

/// <summary>Finds the NS/NAME service and the --port (name or number) a data-plane command asks about.</summary>
internal static class ServiceArgs
{
    public static (Service Service, ServicePort Port) Resolve(Cluster cluster, string nsName, string? portText)
    {
        var parts = nsName.Split('/');
        if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0) throw new UsageException($"expected NAMESPACE/NAME, not '{nsName}'");
        var svc = cluster.FindService(parts[0], parts[1]) ?? throw new UsageException($"no Service {nsName} in the manifests");
        if (svc.Ports.Count == 0) throw new UsageException($"Service {nsName} has no ports");
        if (portText is null)
        {
            if (svc.Ports.Count > 1) throw new UsageException($"Service {nsName} has {svc.Ports.Count} ports; choose one with --port ({string.Join(", ", svc.Ports.Select(p => p.Name ?? p.Port.ToString(CultureInfo.InvariantCulture)))})");
            return (svc, svc.Ports[0]);
        }
        var port = int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out int n)
            ? svc.Ports.FirstOrDefault(p => p.Port == n)
            : svc.Ports.FirstOrDefault(p => p.Name == portText);
        return (svc, port ?? throw new UsageException($"Service {nsName} has no port '{portText}'"));
    }
}
