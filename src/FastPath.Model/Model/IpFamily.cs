namespace FastPath.Model;

public enum IpFamily { IPv4, IPv6 }
