#!/usr/bin/python3
"""Training speed of the same GAN networks in PyTorch (CPU), as the peer for `jgan bench` ratios.

Install once (Debian, as root): apt-get install -y python3-torch libopenblas0-openmp   (PyTorch 1.13, CPU build;
without an optimised BLAS it runs on the reference BLAS, about 14x slower)
Run with nothing else on the CPU, with the thread settings you give jgan:
  OMP_NUM_THREADS=2 OMP_WAIT_POLICY=passive /usr/bin/python3 scripts/torch_peer_speed.py --net dcgan3 --seconds 40

Networks (28x28x1, latent 100, batch 64, Adam(beta1 0.5), non-saturating loss, one D step then one G step per
batch through the updated D; random inputs, since speed does not depend on the pixel values):
  dense  : G 100-256-512-1024-784 (BatchNorm1d + LeakyReLU 0.2, tanh), D 784-512-256-1 (LeakyReLU 0.2, dropout 0.3)
           = examples/mnist-dense.json
  dcgan  : G Dense(64*7*7) BN ReLU -> ConvT(32,4,s2) BN ReLU -> ConvT(1,4,s2) tanh;
           D Conv(32,4,s2) LReLU -> Conv(64,4,s2) BN LReLU -> Dense(1)   (two-stage D)
  dcgan3 : the same G; D Conv(32) LReLU -> Conv(64) BN LReLU -> Conv(128) BN LReLU -> Dense(1), 4x4 stride 2,
           'same' padding as DL4J (28 -> 14 -> 7 -> 4)   = examples/mnist-dcgan.json without its conditioning
Prints one JSON line: {"net": ..., "img_per_s": ..., "threads": ...}.
"""
import argparse, json, os, time
import torch
import torch.nn as nn
import torch.nn.functional as F

Z = 100


class DenseG(nn.Module):
    def __init__(self):
        super().__init__()
        dims, layers = [Z, 256, 512, 1024], []
        for a, b in zip(dims[:-1], dims[1:]):
            layers += [nn.Linear(a, b), nn.BatchNorm1d(b), nn.LeakyReLU(0.2)]
        self.net = nn.Sequential(*layers, nn.Linear(1024, 784), nn.Tanh())

    def forward(self, z):
        return self.net(z).view(-1, 1, 28, 28)


class DenseD(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(784, 512), nn.LeakyReLU(0.2), nn.Dropout(0.3), nn.Linear(512, 256),
                                 nn.LeakyReLU(0.2), nn.Dropout(0.3), nn.Linear(256, 1))

    def forward(self, x):
        return self.net(x.flatten(1))


class ConvG(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc, self.bn0 = nn.Linear(Z, 64 * 7 * 7), nn.BatchNorm1d(64 * 7 * 7)
        self.ct1, self.bn1 = nn.ConvTranspose2d(64, 32, 4, 2, 1), nn.BatchNorm2d(32)
        self.ct2 = nn.ConvTranspose2d(32, 1, 4, 2, 1)

    def forward(self, z):
        x = F.relu(self.bn0(self.fc(z))).view(-1, 64, 7, 7)
        return torch.tanh(self.ct2(F.relu(self.bn1(self.ct1(x)))))


class ConvD(nn.Module):
    def __init__(self, stages):
        super().__init__()
        self.stages = stages
        self.c1 = nn.Conv2d(1, 32, 4, 2, 1)
        self.c2, self.bn2 = nn.Conv2d(32, 64, 4, 2, 1), nn.BatchNorm2d(64)
        if stages == 3:
            self.c3, self.bn3 = nn.Conv2d(64, 128, 4, 2, 0), nn.BatchNorm2d(128)
            self.fc = nn.Linear(128 * 4 * 4, 1)
        else:
            self.fc = nn.Linear(64 * 7 * 7, 1)

    def forward(self, x):
        x = F.leaky_relu(self.c1(x), 0.2)
        x = F.leaky_relu(self.bn2(self.c2(x)), 0.2)
        if self.stages == 3:
            x = F.leaky_relu(self.bn3(self.c3(F.pad(x, (1, 2, 1, 2)))), 0.2)
        return self.fc(x.flatten(1))


NETS = {"dense": (DenseG, lambda: DenseD(), 1e-3), "dcgan": (ConvG, lambda: ConvD(2), 2e-3),
        "dcgan3": (ConvG, lambda: ConvD(3), 2e-3)}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--net", choices=sorted(NETS), default="dcgan3")
    ap.add_argument("--seconds", type=float, default=40.0, help="timed seconds after a 5 s warm-up")
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--threads", type=int, default=int(os.environ.get("OMP_NUM_THREADS", "2")))
    a = ap.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(a.threads)
    g_cls, d_make, lr = NETS[a.net]
    G, D = g_cls(), d_make()
    og = torch.optim.Adam(G.parameters(), lr=lr, betas=(0.5, 0.999))
    od = torch.optim.Adam(D.parameters(), lr=lr, betas=(0.5, 0.999))
    bce = nn.BCEWithLogitsLoss()
    real = torch.rand(64 * a.batch, 1, 28, 28) * 2 - 1
    ones, zeros = torch.ones(a.batch, 1), torch.zeros(a.batch, 1)

    def step(i):
        x = real[(i % 64) * a.batch:(i % 64 + 1) * a.batch]
        fake = G(torch.randn(a.batch, Z))
        od.zero_grad()
        (bce(D(x), ones) + bce(D(fake.detach()), zeros)).backward()
        od.step()
        og.zero_grad()
        bce(D(fake), ones).backward()
        og.step()

    i, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < 5.0:
        step(i); i += 1
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < a.seconds:
        step(i); i += 1; n += 1
    dt = time.perf_counter() - t0
    print(json.dumps({"net": a.net, "img_per_s": round(n * a.batch / dt, 1), "threads": a.threads,
                      "batch": a.batch, "torch": torch.__version__}))


if __name__ == "__main__":
    main()
