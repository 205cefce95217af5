namespace FastPath.Model;

public enum ServiceType { ClusterIP, NodePort, LoadBalancer, ExternalName }
