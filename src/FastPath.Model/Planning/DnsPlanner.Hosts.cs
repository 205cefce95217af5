using System.Collections.Generic;
using System.Net;
using FastPath.Model.Corefile.Plugins;
using FastPath.Model.Net;

namespace FastPath.Model.Planning;

public sealed partial class DnsPlanner
{
    /// <summary>
    /// hosts entries indexed both ways (plugin/hosts/hostsfile.go): a name's addresses without repeats, an address's
    /// names without repeats, each in the order the entries give them. Entries whose address does not parse are
    /// skipped, as the plugin skips them.
    /// </summary>
    private static HostsPlan PlanHosts(HostsOptions o)
    {
        var names = new List<HostsName>();
        var byName = new Dictionary<string, List<string>>(System.StringComparer.Ordinal);
        var addresses = new List<HostsAddress>();
        var byAddress = new Dictionary<string, List<string>>(System.StringComparer.Ordinal);
        foreach (var e in o.Entries)
        {
            if (!IpText.TryParse(e.Address, out IPAddress ip)) continue;
            var address = ip.ToString();
            foreach (var n in e.Names)
            {
                if (!byName.TryGetValue(n, out var ips)) { byName[n] = ips = new List<string>(); names.Add(new HostsName(n, ips)); }
                if (!ips.Contains(address)) ips.Add(address);
                if (!byAddress.TryGetValue(address, out var owners)) { byAddress[address] = owners = new List<string>(); addresses.Add(new HostsAddress(address, owners)); }
                if (!owners.Contains(n)) owners.Add(n);
            }
        }
        return new HostsPlan(o.Zones, (uint)o.Ttl, o.NoReverse, o.Fallthrough, names, addresses);
    }
}
