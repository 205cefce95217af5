namespace FastPath.Model;

public enum ServiceType { ClusterIP, NodePort, LoadBalancer, ExternalName }

public enum TrafficPolicy { Cluster, Local }

public enum SessionAffinity { None, ClientIP }

public enum IpFamily { IPv4, IPv6 }
