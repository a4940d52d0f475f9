import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { SETTING_NAMES } from '../../../src/config/settings.js';

// kubeconform cannot be fetched here, so these checks stand in for a schema check: the manifests
// parse, have the fields Kubernetes requires, and agree with the code (probe paths, ports, env names).
const k8sDir = 'docker/k8s';
const documents = readdirSync(k8sDir)
  .filter((file) => file.endsWith('.yaml'))
  .flatMap((file) =>
    parseAllDocuments(readFileSync(path.join(k8sDir, file), 'utf8')).map((doc) => {
      expect(doc.errors).toEqual([]);
      return { file, manifest: doc.toJS() as Record<string, any> };
    }),
  );
const ofKind = (kind: string) => documents.filter((d) => d.manifest['kind'] === kind).map((d) => d.manifest);

describe('Kubernetes manifests', () => {
  it('parse and carry apiVersion, kind and metadata.name', () => {
    expect(documents.length).toBeGreaterThanOrEqual(6);
    for (const { manifest } of documents) {
      expect(manifest['apiVersion']).toEqual(expect.any(String));
      expect(manifest['kind']).toEqual(expect.any(String));
      expect(manifest['metadata']?.name).toMatch(/^[a-z0-9-]+$/);
    }
    for (const kind of ['Deployment', 'Service', 'HorizontalPodAutoscaler', 'Secret', 'ConfigMap']) expect(ofKind(kind).length).toBeGreaterThan(0);
  });

  const deployment = ofKind('Deployment')[0]!;
  const container = deployment['spec'].template.spec.containers[0];

  it('probes the proxy’s real health endpoints on its real port', () => {
    expect(container.readinessProbe.httpGet.path).toBe('/readyz');
    expect(container.livenessProbe.httpGet.path).toBe('/healthz');
    const ports = Object.fromEntries(container.ports.map((p: { name: string; containerPort: number }) => [p.name, p.containerPort]));
    expect(ports).toEqual({ http: 8080, metrics: 9464 });
    const env = Object.fromEntries(container.env.map((e: { name: string; value: string }) => [e.name, e.value]));
    expect(env['PORT']).toBe('8080');
    expect(env['METRICS_PORT']).toBe('9464');
  });

  it('sets only environment variables the proxy reads', () => {
    const secret = ofKind('Secret')[0]!;
    const names = [...container.env.map((e: { name: string }) => e.name), ...Object.keys(secret['stringData'])];
    for (const name of names) expect(SETTING_NAMES).toContain(name);
    expect(container.envFrom[0].secretRef.name).toBe(secret['metadata'].name);
  });

  it('mounts the tenant ConfigMap where TENANTS_DIR points, and the Services select the pods', () => {
    const configMap = ofKind('ConfigMap')[0]!;
    const volume = deployment['spec'].template.spec.volumes.find((v: { configMap?: { name: string } }) => v.configMap);
    expect(volume.configMap.name).toBe(configMap['metadata'].name);
    const mount = container.volumeMounts.find((m: { name: string }) => m.name === volume.name);
    expect(container.env.find((e: { name: string }) => e.name === 'TENANTS_DIR').value).toBe(mount.mountPath);
    const labels = deployment['spec'].template.metadata.labels;
    for (const service of ofKind('Service')) for (const [k, v] of Object.entries(service['spec'].selector)) expect(labels[k]).toBe(v);
    const hpa = ofKind('HorizontalPodAutoscaler')[0]!;
    expect(hpa['spec'].scaleTargetRef.name).toBe(deployment['metadata'].name);
  });

  it('the example tenant in the ConfigMap is a valid tenant file shape', () => {
    const configMap = ofKind('ConfigMap')[0]!;
    for (const text of Object.values(configMap['data'] as Record<string, string>)) expect(parse(text)).toMatchObject({ id: expect.any(String), divisions: expect.any(Array) });
  });
});

describe('docker-compose.yml', () => {
  const compose = parse(readFileSync('docker-compose.yml', 'utf8')) as Record<string, any>;

  it('runs two proxy replicas behind the load balancer, with Redis and the simulator', () => {
    const always = Object.entries(compose['services'] as Record<string, { profiles?: string[] }>).filter(([, service]) => !service.profiles);
    expect(always.map(([name]) => name).sort()).toEqual(['lb', 'proxy-a', 'proxy-b', 'redis', 'simulator']);
    const nginx = readFileSync('docker/nginx.conf', 'utf8');
    expect(nginx).toContain('server proxy-a:8080');
    expect(nginx).toContain('server proxy-b:8080');
  });

  it('gives the replicas only settings the proxy reads', () => {
    const env = readFileSync('docker/proxy.env', 'utf8').split('\n').filter((l) => /^[A-Z]/.test(l)).map((l) => l.split('=')[0]!);
    for (const name of env) expect(SETTING_NAMES).toContain(name);
    expect(env).toContain('REDIS_URL');
  });
});
