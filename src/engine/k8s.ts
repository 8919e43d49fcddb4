/**
 * Plain JSON shapes of the Kubernetes objects the checks read. These are the wire format
 * (what the API server sends and what manifests contain), not client-node's typed models:
 * the collector parses lists itself, and checks must never depend on client-node values.
 * Only the fields some check reads are typed; everything else is `unknown`.
 */

export interface ObjectMeta {
  readonly name?: string;
  readonly namespace?: string;
  readonly uid?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly ownerReferences?: readonly OwnerReference[];
  readonly creationTimestamp?: string;
  readonly resourceVersion?: string;
  readonly generateName?: string;
}

export interface OwnerReference {
  readonly apiVersion?: string;
  readonly kind: string;
  readonly name: string;
  readonly uid: string;
  readonly controller?: boolean;
}

/** Any object as it comes from the API or a manifest. */
export interface K8sObject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: ObjectMeta;
  readonly [field: string]: unknown;
}

export interface SecurityContext {
  readonly privileged?: boolean;
  readonly runAsUser?: number;
  readonly runAsGroup?: number;
  readonly runAsNonRoot?: boolean;
  readonly allowPrivilegeEscalation?: boolean;
  readonly readOnlyRootFilesystem?: boolean;
  readonly procMount?: string;
  readonly capabilities?: { readonly add?: readonly string[]; readonly drop?: readonly string[] };
  readonly seccompProfile?: { readonly type?: string; readonly localhostProfile?: string };
  readonly appArmorProfile?: { readonly type?: string; readonly localhostProfile?: string };
  readonly seLinuxOptions?: { readonly type?: string; readonly user?: string; readonly role?: string; readonly level?: string };
  readonly windowsOptions?: { readonly hostProcess?: boolean };
}

export interface PodSecurityContext extends SecurityContext {
  readonly fsGroup?: number;
  readonly supplementalGroups?: readonly number[];
  readonly sysctls?: readonly { readonly name: string; readonly value?: string }[];
}

export interface EnvVar {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: {
    readonly secretKeyRef?: { readonly name?: string; readonly key?: string; readonly optional?: boolean };
    readonly configMapKeyRef?: { readonly name?: string; readonly key?: string };
    readonly fieldRef?: { readonly fieldPath?: string };
  };
}

export interface Container {
  readonly name: string;
  readonly image?: string;
  readonly imagePullPolicy?: string;
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  readonly env?: readonly EnvVar[];
  readonly envFrom?: readonly { readonly secretRef?: { readonly name?: string }; readonly configMapRef?: { readonly name?: string }; readonly prefix?: string }[];
  readonly ports?: readonly { readonly containerPort?: number; readonly hostPort?: number; readonly protocol?: string; readonly name?: string }[];
  readonly volumeMounts?: readonly { readonly name: string; readonly mountPath?: string; readonly readOnly?: boolean; readonly subPath?: string }[];
  readonly securityContext?: SecurityContext;
  readonly resources?: {
    readonly limits?: Readonly<Record<string, string | number>>;
    readonly requests?: Readonly<Record<string, string | number>>;
  };
  readonly [field: string]: unknown;
}

export interface Volume {
  readonly name: string;
  readonly hostPath?: { readonly path: string; readonly type?: string };
  readonly secret?: { readonly secretName?: string };
  readonly [source: string]: unknown;
}

export interface PodSpec {
  readonly containers?: readonly Container[];
  readonly initContainers?: readonly Container[];
  readonly ephemeralContainers?: readonly Container[];
  readonly volumes?: readonly Volume[];
  readonly hostPID?: boolean;
  readonly hostIPC?: boolean;
  readonly hostNetwork?: boolean;
  readonly hostUsers?: boolean;
  readonly serviceAccountName?: string;
  readonly automountServiceAccountToken?: boolean;
  readonly nodeName?: string;
  readonly runtimeClassName?: string;
  readonly os?: { readonly name?: string };
  readonly securityContext?: PodSecurityContext;
  readonly [field: string]: unknown;
}

export interface PodTemplateSpec {
  readonly metadata?: ObjectMeta;
  readonly spec?: PodSpec;
}

export interface Pod extends K8sObject {
  readonly spec?: PodSpec;
  readonly status?: {
    readonly phase?: string;
    readonly containerStatuses?: readonly { readonly name: string; readonly image?: string; readonly imageID?: string }[];
    readonly initContainerStatuses?: readonly { readonly name: string; readonly image?: string; readonly imageID?: string }[];
    readonly [field: string]: unknown;
  };
}

export interface Node extends K8sObject {
  readonly spec?: { readonly providerID?: string; readonly [field: string]: unknown };
  readonly status?: {
    readonly addresses?: readonly { readonly type: string; readonly address: string }[];
    readonly nodeInfo?: {
      readonly kubeletVersion?: string;
      readonly osImage?: string;
      readonly containerRuntimeVersion?: string;
      readonly operatingSystem?: string;
      readonly architecture?: string;
    };
    readonly [field: string]: unknown;
  };
}

export interface ServicePort {
  readonly name?: string;
  readonly port: number;
  readonly targetPort?: number | string;
  readonly nodePort?: number;
  readonly protocol?: string;
  readonly appProtocol?: string;
}

export interface LoadBalancerIngress {
  readonly ip?: string;
  readonly hostname?: string;
}

export interface Service extends K8sObject {
  readonly spec?: {
    readonly type?: string;
    readonly ports?: readonly ServicePort[];
    readonly selector?: Readonly<Record<string, string>>;
    readonly loadBalancerSourceRanges?: readonly string[];
    readonly externalIPs?: readonly string[];
    readonly allocateLoadBalancerNodePorts?: boolean;
    readonly clusterIP?: string;
    readonly [field: string]: unknown;
  };
  readonly status?: { readonly loadBalancer?: { readonly ingress?: readonly LoadBalancerIngress[] } };
}

export interface Ingress extends K8sObject {
  readonly spec?: {
    readonly ingressClassName?: string;
    readonly tls?: readonly { readonly hosts?: readonly string[]; readonly secretName?: string }[];
    readonly rules?: readonly { readonly host?: string; readonly http?: unknown }[];
    readonly defaultBackend?: unknown;
  };
  readonly status?: { readonly loadBalancer?: { readonly ingress?: readonly LoadBalancerIngress[] } };
}

export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly { readonly key: string; readonly operator: string; readonly values?: readonly string[] }[];
}

export interface NetworkPolicy extends K8sObject {
  readonly spec?: {
    readonly podSelector?: LabelSelector;
    readonly policyTypes?: readonly string[];
    readonly ingress?: readonly unknown[];
    readonly egress?: readonly unknown[];
  };
}

export interface Subject {
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly apiGroup?: string;
}

export interface RoleRef {
  readonly apiGroup?: string;
  readonly kind: string;
  readonly name: string;
}

export interface RoleBinding extends K8sObject {
  readonly subjects?: readonly Subject[];
  readonly roleRef?: RoleRef;
}

export interface PolicyRule {
  readonly apiGroups?: readonly string[];
  readonly resources?: readonly string[];
  readonly verbs?: readonly string[];
  readonly resourceNames?: readonly string[];
  readonly nonResourceURLs?: readonly string[];
}

export interface Role extends K8sObject {
  readonly rules?: readonly PolicyRule[];
  readonly aggregationRule?: unknown;
}

export interface Namespace extends K8sObject {
  readonly status?: { readonly phase?: string };
}

export interface ConfigMap extends K8sObject {
  readonly data?: Readonly<Record<string, string>>;
}

/** A Secret as the collector sees it: metadata only (PartialObjectMetadata), never data. */
export interface SecretMeta extends K8sObject {
  readonly type?: string;
}

export interface Workloadish extends K8sObject {
  readonly spec?: {
    readonly replicas?: number;
    readonly selector?: LabelSelector;
    readonly template?: PodTemplateSpec;
    readonly jobTemplate?: { readonly spec?: { readonly template?: PodTemplateSpec } };
    readonly suspend?: boolean;
    readonly [field: string]: unknown;
  };
  readonly template?: PodTemplateSpec;
  readonly status?: { readonly [field: string]: unknown };
}

export interface List extends K8sObject {
  readonly items: readonly K8sObject[];
}
