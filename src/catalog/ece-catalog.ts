import type { Catalog, InboundRule, OutboundRule, HostRequirement, PortSpec } from './types.js';
import { validateCatalog } from './validate.js';

/**
 * The ECE networking prerequisites as data, one rule per row of the seed
 * (shared/seeds/ece-networking-prereq.md), each citing its table, diagram
 * number and words. Sources follow DESIGN.md's reading: the first inbound
 * table is traffic "from any source" (external), the second is traffic
 * between ECE hosts. Where the seed does not say who connects, `note` says
 * what we chose and why. Bump `version` whenever a rule changes: reports
 * carry it, and run-to-run diffs must not compare across catalogs silently.
 */
export const ECE_CATALOG_VERSION = '2026.11-seed1';

const range = (from: number, to: number): PortSpec => ({ from, to });

const inboundAnySource: InboundRule[] = [
  {
    id: 'ssh',
    dest: 'all',
    ports: [22],
    protocol: 'tcp',
    tls: 'plain',
    purpose: 'SSH for installation and troubleshooting',
    sources: [{ kind: 'external', who: 'controller/admin' }],
    expect: 'open',
    note: 'sshd answers itself: no listener is opened; the controller probes it (it is also the path the sweep uses).',
    seed: [{ table: 'inbound-1', text: 'Installation and troubleshooting SSH access only (TCP)' }],
  },
  {
    id: 'coordinator-admin-api',
    dest: ['coordinator'],
    ports: [12300, 12343, 12400, 12443],
    protocol: 'tcp',
    tls: 'both',
    purpose: 'Admin API (12300 HTTP, 12343 HTTPS; 12400/12443 the same API for the Cloud UI)',
    sources: [{ kind: 'external', who: 'admins' }],
    expect: 'open',
    seed: [{ table: 'inbound-1', number: 2, text: 'Admin API access (HTTP/HTTPS)' }],
  },
  {
    id: 'proxy-es-rest',
    dest: ['proxy'],
    ports: [9200, 9243],
    protocol: 'tcp',
    tls: 'both',
    purpose: 'Elasticsearch REST API through the proxy (9200 plain, 9243 TLS)',
    sources: [{ kind: 'external', who: 'clients and load balancers' }],
    expect: 'open',
    seed: [
      {
        table: 'inbound-1',
        number: 3,
        text: 'Elasticsearch REST API. 9200 is plain text and 9243 is with TLS, also required by load balancers',
      },
    ],
  },
  {
    id: 'proxy-es-transport',
    dest: ['proxy'],
    ports: [9300, 9343],
    protocol: 'tcp',
    tls: 'both',
    purpose: 'Elasticsearch transport client through the proxy (9300 plain, 9343 TLS)',
    sources: [{ kind: 'external', who: 'clients and load balancers' }],
    expect: 'open',
    seed: [
      {
        table: 'inbound-1',
        number: 3,
        text: 'Elasticsearch transport client. 9300 is plain text and 9343 is with TLS, also required by load balancers',
      },
    ],
  },
  {
    id: 'proxy-ccs',
    dest: ['proxy'],
    ports: [9400, 9443],
    protocol: 'tcp',
    tls: 'tls',
    purpose: 'Cross-cluster search and replication (9400 TLS certificates, 9443 API keys)',
    sources: [{ kind: 'external', who: 'remote clusters' }],
    expect: 'open',
    optional: { flag: 'ccs', reason: 'the seed says 9400/9443 can be blocked if CCR/CCS is not used' },
    seed: [
      {
        table: 'inbound-1',
        number: 3,
        text: 'Elasticsearch Cross Cluster Search and Cross Cluster Replication with TLS authentication (9400) or API key authentication (9443), also required by load balancers. Can be blocked if [CCR/CCS](../../remote-clusters/ece-enable-ccs.md) is not used.',
      },
    ],
  },
  {
    id: 'coordinator-cloud-ui',
    dest: ['coordinator'],
    ports: [12400, 12443],
    protocol: 'tcp',
    tls: 'both',
    purpose: 'Cloud UI console to the API (12400 HTTP, 12443 HTTPS)',
    sources: [
      { kind: 'external', who: 'Cloud UI users' },
      { kind: 'roles', roles: ['coordinator'] },
    ],
    expect: 'open',
    note: 'The seed lists this row among traffic from any source; the Cloud UI itself runs on coordinators and calls the API, so coordinators are a source too (DESIGN.md reading).',
    seed: [{ table: 'inbound-1', number: 7, text: 'Cloud UI console to API (HTTP/HTTPS)' }],
  },
];

const inboundFromEce: InboundRule[] = [
  {
    id: 'director-zk-discovery',
    dest: ['director'],
    ports: [2112],
    protocol: 'tcp',
    tls: 'plain',
    purpose: 'ZooKeeper ensemble discovery and joining',
    sources: [{ kind: 'roles', roles: ['director'] }],
    expect: 'open',
    note: 'The seed does not name the source. Directors form the ensemble; a host being installed with the director role joins through it too, and it is a director in the inventory by then, so directors cover it.',
    seed: [{ table: 'inbound-2', number: 1, text: 'ZooKeeper ensemble discovery/joining (TCP)' }],
  },
  {
    id: 'director-zk-forwarder',
    dest: ['director'],
    ports: [range(12191, 12201)],
    protocol: 'tcp',
    tls: 'tls',
    purpose: 'Client forwarder to ZooKeeper, one port per director (TLS tunnels)',
    sources: [{ kind: 'all-hosts' }],
    expect: 'open',
    note: 'Every ECE service talks to ZooKeeper through these tunnels, so every host is a source (DESIGN.md reading).',
    seed: [{ table: 'inbound-2', number: 4, text: 'Client forwarder to ZooKeeper, one port per director (TLS tunnels)' }],
  },
  {
    id: 'allocator-node-transport',
    dest: ['allocator'],
    ports: [range(19000, 19999)],
    protocol: 'tcp',
    tls: 'both',
    purpose: 'Elasticsearch node to node, and proxy to Elasticsearch for CCR/CCS',
    sources: [{ kind: 'roles', roles: ['allocator', 'proxy'] }],
    expect: 'open',
    seed: [
      {
        table: 'inbound-2',
        number: 5,
        text: 'Elasticsearch node to node and Proxy to Elasticsearch for CCR/CCS (Node Transport 6.x+/TLS 6.x+)',
      },
    ],
  },
  {
    id: 'coordinator-initial',
    dest: ['coordinator'],
    ports: [range(22191, 22195)],
    protocol: 'tcp',
    tls: 'plain',
    purpose: 'Connections to the initial coordinator, one port per coordinator, up to five',
    sources: [{ kind: 'roles', roles: ['allocator', 'proxy'] }],
    expect: 'open',
    seed: [
      {
        table: 'inbound-2',
        number: 7,
        text: 'Connections to initial coordinator from allocators and proxies, one port per coordinator, up to five (TCP)',
      },
    ],
  },
  {
    id: 'proxy-kibana-es',
    dest: ['proxy'],
    ports: [9200, 9243, 9300, 9343],
    protocol: 'tcp',
    tls: 'both',
    purpose: 'Kibana and Elasticsearch instances reaching Elasticsearch through the proxy',
    sources: [{ kind: 'roles', roles: ['allocator'] }],
    expect: 'open',
    note: 'The seed does not name the source. Kibana and APM instances run on allocators and reach Elasticsearch through the proxies (DESIGN.md reading).',
    seed: [{ table: 'inbound-2', number: 9, text: 'Kibana and Elasticsearch (HTTPS)' }],
  },
  {
    id: 'allocator-constructor',
    dest: ['allocator'],
    ports: [range(18000, 18999)],
    protocol: 'tcp',
    tls: 'tls',
    purpose: 'Constructor to Elasticsearch clusters',
    sources: [{ kind: 'roles', roles: ['coordinator'] }],
    expect: 'open',
    note: 'The constructor runs on coordinators, so they are the source (DESIGN.md reading).',
    seed: [{ table: 'inbound-2', number: 10, text: 'Constructor to Elasticsearch cluster (HTTPS)' }],
  },
  {
    id: 'allocator-proxy-instances',
    dest: ['allocator'],
    ports: [range(18000, 18999), range(20000, 20999)],
    protocol: 'tcp',
    tls: 'both',
    purpose: 'Proxy to Elasticsearch, Kibana and APM Server instances (HTTPS, transport client 6.x+)',
    sources: [{ kind: 'roles', roles: ['proxy'] }],
    expect: 'open',
    seed: [
      {
        table: 'inbound-2',
        number: 11,
        text: 'Proxy to Elasticsearch/Kibana/APM Server instance (HTTPS/Transport Client 6.x+/TLS 6.x+)',
      },
    ],
  },
  {
    id: 'allocator-apm-monitoring',
    dest: ['allocator'],
    ports: [range(21000, 21999)],
    protocol: 'tcp',
    tls: 'both',
    purpose: 'APM Server (instance monitoring)',
    sources: [{ kind: 'roles', roles: ['proxy'] }],
    expect: 'open',
    note: 'The seed gives neither a diagram number nor a source, nor says plain or TLS. We chose proxies, which route to APM Server instances like the other allocator ranges (DESIGN.md reading); override in the inventory if monitoring traffic comes from elsewhere.',
    seed: [{ table: 'inbound-2', text: 'APM Server (Instance Monitoring)' }],
  },
  {
    id: 'allocator-remote-cluster',
    dest: ['allocator'],
    ports: [range(23000, 23999)],
    protocol: 'tcp',
    tls: 'tls',
    purpose: 'Elasticsearch node to node, and proxy to Elasticsearch for CCR/CCS with remote cluster security',
    sources: [{ kind: 'roles', roles: ['allocator', 'proxy'] }],
    expect: 'open',
    seed: [
      {
        table: 'inbound-2',
        number: 12,
        text: 'Elasticsearch node to node and Proxy to Elasticsearch for CCR/CCS using Remote Cluster Security',
      },
    ],
  },
  {
    id: 'allocator-service',
    dest: ['allocator'],
    ports: [14000],
    protocol: 'tcp',
    tls: 'tls',
    purpose: 'Proxy to the allocator service endpoint',
    sources: [{ kind: 'roles', roles: ['proxy'] }],
    expect: 'open',
    seed: [{ table: 'inbound-2', number: 13, text: 'Proxy to Allocator service endpoint (HTTPS)' }],
  },
  {
    id: 'proxy-allocator-service',
    dest: ['proxy'],
    ports: [14043],
    protocol: 'tcp',
    tls: 'tls',
    purpose: 'API to proxy for allocator service traffic',
    sources: [{ kind: 'roles', roles: ['coordinator'] }],
    expect: 'open',
    note: 'The API runs on coordinators, so they are the source (DESIGN.md reading).',
    seed: [{ table: 'inbound-2', number: 14, text: 'API to Proxy for Allocator service traffic (HTTPS)' }],
  },
];

const inboundFromProse: InboundRule[] = [
  {
    id: 'director-zk-quorum',
    dest: ['director'],
    ports: [range(12898, 12908), range(13898, 13908)],
    protocol: 'tcp',
    tls: 'plain',
    purpose: 'ZooKeeper leader and election between directors',
    sources: [{ kind: 'roles', roles: ['director'] }],
    expect: 'open',
    note: 'The seed does not say plain or TLS; ZooKeeper quorum traffic is plain TCP unless configured otherwise. Probes test TCP only.',
    seed: [
      {
        table: 'zookeeper-note',
        text: 'In addition to the following list, you should open 12898-12908 and 13898-13908 on the director host for ZooKeeper leader and election activity.',
      },
    ],
  },
  {
    id: 'install-check',
    dest: 'all',
    ports: [20000, 21000, 22000],
    protocol: 'tcp',
    tls: 'plain',
    purpose: 'Installation script checks',
    sources: [{ kind: 'all-hosts' }],
    expect: 'open',
    tags: ['install-check'],
    note: 'The seed does not say who connects; the installer checks between hosts, so every host is a source (DESIGN.md reading). 20000 and 21000 lie inside the allocator ranges: on a host already running ECE they may be in use, which is a fact to report, not a failure.',
    seed: [
      {
        table: 'intro',
        text: 'Before installing a host, make sure that ports 20000, 21000, and 22000 are open for the installation script checks.',
      },
    ],
  },
  {
    id: 'docker-2375',
    dest: 'all',
    ports: [2375],
    protocol: 'tcp',
    tls: 'plain',
    purpose: 'Internal Docker API: unauthenticated, must not be reachable from other hosts',
    sources: [{ kind: 'local' }],
    expect: 'closed',
    tags: ['docker'],
    note: 'The seed only says 2375 is used on each host; later page versions list it among container-only ports, and it is the unauthenticated Docker API, so reaching it from another host is an exposure (DESIGN.md reading).',
    seed: [
      {
        table: 'intro',
        text: 'Port 2375 will also be utilized on each host you install ECE on for internal Docker communication.',
      },
    ],
  },
];

const outbound: OutboundRule[] = [
  {
    id: 'outbound-registry-http',
    target: 'registry',
    ports: [80],
    purpose: 'Installation script and docker.elastic.co registry over HTTP',
    onlyHost: 'docker.elastic.co',
    note: 'Checked only when the registry is docker.elastic.co: the seed ties port 80 to it, and a private registry is reached on its configured port (checked under outbound-registry-https).',
    seed: [{ table: 'outbound', text: 'Installation script and docker.elastic.co Docker registry access (HTTP)' }],
  },
  {
    id: 'outbound-registry-https',
    target: 'registry',
    ports: [443],
    purpose: 'Installation script and docker.elastic.co registry over HTTPS',
    note: 'The configured registry endpoint (ece_registry / ece_docker_registry, default docker.elastic.co:443) is checked on its own port under this rule.',
    seed: [{ table: 'outbound', text: 'Installation script and docker.elastic.co Docker registry access (HTTPS)' }],
  },
  {
    id: 'outbound-install-script',
    target: 'install-script',
    ports: [],
    endpointPort: true,
    purpose: 'Installation script download (download.elastic.co over HTTPS)',
    note: "The seed names the installation script among the outbound uses of 443 without naming its host; ECE's install page downloads it with `curl -fsSL https://download.elastic.co/cloud/elastic-cloud-enterprise.sh`, so the configured endpoint (ece_install_script_host, default download.elastic.co:443) is checked on its own port. Port 80 is not checked for it: the script is fetched over HTTPS. Where it is the same endpoint as the registry, one check cites both rules.",
    seed: [{ table: 'outbound', text: 'Installation script and docker.elastic.co Docker registry access (HTTPS)' }],
  },
  {
    id: 'outbound-snapshot-repos',
    target: 'snapshot-repos',
    ports: [],
    endpointPort: true,
    purpose: 'Snapshot repositories',
    note: 'The seed says ports depend on the repository type, so each configured repository endpoint is checked on its own port.',
    seed: [
      {
        table: 'outbound',
        text: 'Outbound traffic must also permit connections to the snapshot repositories you intend to use. Ports depend on the snapshot repository type.',
      },
    ],
  },
];

const requirements: HostRequirement[] = [
  {
    id: 'first-host-all-roles',
    kind: 'first-host-all-roles',
    appliesTo: 'all',
    purpose: 'The first host holds every role at install time, so every role port must be open on it',
    seed: [
      {
        table: 'intro',
        text: 'The first host you install ECE on initially requires the ports for all roles to be open, which includes the ports for the coordinator, allocator, director, and proxy roles.',
      },
    ],
  },
  {
    id: 'proxy-ipv6',
    kind: 'ipv6-enabled',
    appliesTo: ['proxy'],
    versions: { min: '2.4.0', max: '2.4.1' },
    purpose: 'IPv6 must stay enabled on proxies for ECE 2.4.0 and 2.4.1',
    seed: [
      {
        table: 'intro',
        text: 'For versions 2.4.0 and 2.4.1, IPv6 should remain enabled on any host with the Proxy role.',
      },
    ],
  },
  {
    id: 'conflict-allocator-coordinator',
    kind: 'role-conflict',
    appliesTo: ['allocator', 'coordinator'],
    value: ['allocator', 'coordinator'],
    purpose: 'Allocator and coordinator should not share a host (the first host excepted)',
    seed: [{ table: 'design', text: 'Roles that should not share a host: allocator+coordinator' }],
  },
  {
    id: 'conflict-allocator-director',
    kind: 'role-conflict',
    appliesTo: ['allocator', 'director'],
    value: ['allocator', 'director'],
    purpose: 'Allocator and director should not share a host (the first host excepted)',
    seed: [{ table: 'design', text: 'Roles that should not share a host: allocator+director' }],
  },
  {
    id: 'conflict-coordinator-proxy',
    kind: 'role-conflict',
    appliesTo: ['coordinator', 'proxy'],
    value: ['coordinator', 'proxy'],
    purpose: 'Coordinator and proxy should not share a host (the first host excepted)',
    seed: [{ table: 'design', text: 'Roles that should not share a host: coordinator+proxy' }],
  },
  {
    id: 'director-rtt',
    kind: 'max-rtt-ms',
    appliesTo: ['director'],
    value: 10,
    purpose: 'Directors need under 10 ms round trip between all of them, and no packet loss',
    seed: [{ table: 'design', text: 'Directors need under 10 ms round trip between all of them and no packet loss' }],
  },
  {
    id: 'multi-dc-rtt',
    kind: 'max-rtt-ms',
    appliesTo: 'all',
    value: 10,
    acrossZones: true,
    purpose: 'Across data centers: under 10 ms round trip',
    seed: [
      {
        table: 'multi-dc',
        text: 'A typical network latency between the data centers of less than 10ms round-trip time during pings',
      },
    ],
  },
  {
    id: 'multi-dc-bandwidth',
    kind: 'min-bandwidth-gbit',
    appliesTo: 'all',
    value: 10,
    acrossZones: true,
    purpose: 'Across data centers: at least 10 Gbit',
    note: 'The tool can only report the zones and leave bandwidth to the operator: measuring 10 Gbit would load the network.',
    seed: [{ table: 'multi-dc', text: 'A network bandwidth of at least 10 Gigabit' }],
  },
];

/** Later page versions: ports used only between containers on one host (never to open). */
const containerOnlyPorts: PortSpec[] = [
  53,
  2180,
  2375,
  range(2191, 2199),
  range(5000, 5010),
  range(8080, 8084),
  9000,
  9043,
  9244,
];

const containerOnly: Catalog['containerOnly'] = {
  id: 'container-only',
  purpose: 'Ports used only between containers on one host: must not answer from another host',
  note: 'Probed from other hosts without a listener of ours: whatever answers there (a container, a stray service) is an exposure. Never a rule to open. 2375 is checked under docker-2375.',
  seed: [
    {
      table: 'design',
      text: 'Later page versions list ports used only between containers on the same host: 53, 2180, 2375, 2191-2199, 5000-5010, 8080-8084, 9000/9043, 9244. Reachable from another host is an exposure finding, never a rule to open.',
    },
  ],
};

export const ECE_CATALOG: Catalog = validateCatalog({
  version: ECE_CATALOG_VERSION,
  inbound: [...inboundAnySource, ...inboundFromEce, ...inboundFromProse],
  outbound,
  requirements,
  containerOnlyPorts,
  containerOnly,
});
