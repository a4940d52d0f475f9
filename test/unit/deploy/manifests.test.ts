import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { loadSettings, SETTING_NAMES } from '../../../src/config/settings.js';
import { buildRegistry } from '../../../src/tenants/load-tenants.js';

// kubeconform cannot be fetched here, so these checks stand in for a schema check: the manifests
// parse, have the fields Kubernetes requires, and agree with the code (probe paths, ports, env names).
const k8sDir = 'docker/k8s';
const documents = readdirSync(k8sDir)
  .filter((file) => file.endsWith('.yaml') && file !== 'kustomization.yaml')
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
    for (const kind of ['Deployment', 'Service', 'HorizontalPodAutoscaler', 'Secret', 'ConfigMap', 'PodDisruptionBudget']) expect(ofKind(kind).length).toBeGreaterThan(0);
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

  it('the example tenant in the ConfigMap is a valid tenant file', () => {
    const configMap = ofKind('ConfigMap')[0]!;
    const files = Object.entries(configMap['data'] as Record<string, string>).map(([file, text]) => ({ file, text }));
    expect(buildRegistry(files).size).toBe(files.length);
  });

  it('keeps a replica serving through voluntary disruptions (PodDisruptionBudget)', () => {
    const pdb = ofKind('PodDisruptionBudget')[0]!;
    expect(pdb['apiVersion']).toBe('policy/v1');
    expect(pdb['spec'].minAvailable).toBeGreaterThanOrEqual(1);
    expect(pdb['spec'].minAvailable).toBeLessThan(deployment['spec'].replicas);
    for (const [k, v] of Object.entries(pdb['spec'].selector.matchLabels)) expect(deployment['spec'].template.metadata.labels[k]).toBe(v);
  });

  it('the Secret’s placeholders are refused as settings until replaced', () => {
    const secret = ofKind('Secret')[0]!;
    expect(() => loadSettings({ GENESYS_REGION: 'mypurecloud.com', ...secret['stringData'] })).toThrow(/GENESYS_CLIENT_SECRET: is still the placeholder text/);
  });
});

describe('kustomize', () => {
  const base = parse(readFileSync(path.join(k8sDir, 'kustomization.yaml'), 'utf8')) as { resources: string[] };
  const overlays = readdirSync('docker/kustomize/overlays').map((name) => path.join('docker/kustomize/overlays', name));

  it('the base is exactly the plain manifests', () => {
    expect([...base.resources].sort()).toEqual([...new Set(documents.map((d) => d.file))].sort());
  });

  it('every overlay builds on the base and patches only objects the base has', () => {
    expect(overlays.map((o) => path.basename(o)).sort()).toEqual(['production', 'staging']);
    for (const overlay of overlays) {
      const kustomization = parse(readFileSync(path.join(overlay, 'kustomization.yaml'), 'utf8')) as { resources: string[]; patches?: { path: string }[] };
      expect(kustomization.resources.map((r) => path.normalize(path.join(overlay, r)))).toEqual([path.normalize(k8sDir)]);
      for (const patch of kustomization.patches ?? []) {
        const target = parse(readFileSync(path.join(overlay, patch.path), 'utf8')) as { kind: string; metadata: { name: string } };
        expect(documents.some((d) => d.manifest['kind'] === target.kind && d.manifest['metadata'].name === target.metadata.name)).toBe(true);
      }
    }
  });

  // kubectl is not in every developer's PATH; where it is, the overlays are really rendered.
  const kubectl = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).error === undefined;
  it('renders the same objects as the plain manifests, base and overlays (kubectl kustomize, where installed)', () => {
    if (!kubectl) {
      expect(base.resources.length).toBe(new Set(documents.map((d) => d.file)).size);
      return;
    }
    const names = (dir: string) => {
      const rendered = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
      expect(rendered.status).toBe(0);
      return parseAllDocuments(rendered.stdout).map((doc) => {
        const m = doc.toJS() as Record<string, any>;
        return `${m['kind']}/${m['metadata'].name}`;
      }).sort();
    };
    const plain = documents.map((d) => `${d.manifest['kind']}/${d.manifest['metadata'].name}`).sort();
    expect(names(k8sDir)).toEqual(plain);
    for (const overlay of overlays) expect(names(overlay)).toEqual(plain);
  });
});

describe('Dockerfile', () => {
  it('exposes the tenant port and the operations port', () => {
    const dockerfile = readFileSync('Dockerfile', 'utf8');
    const defaults = loadSettings({ GENESYS_REGION: 'mypurecloud.com', GENESYS_CLIENT_ID: 'id', GENESYS_CLIENT_SECRET: 'a-real-secret' });
    const exposed = /^EXPOSE (.+)$/m.exec(dockerfile)?.[1]?.split(/\s+/).map(Number);
    expect(exposed).toEqual([defaults.port, defaults.metricsPort]);
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
