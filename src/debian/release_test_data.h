// Signed test documents for release_test.cc and apt_client_test.cc: a throwaway ed25519 key made
// with gpg for these tests only, a Release file, its clearsigned InRelease and
// its detached Release.gpg. The signatures are real, so gpgv checks them.
#pragma once

namespace distill::debian::testdata {

inline constexpr const char kTestKeyArmored[] = R"(-----BEGIN PGP PUBLIC KEY BLOCK-----

mDMEawqWPRYJKwYBBAHaRw8BAQdAeyhkjZMDR8odjx1ItxR0XEu4M2iMziRERw1r
qPKrlS+0L2Rpc3RpbGwgdGVzdCBhcmNoaXZlIGtleSA8dGVzdEBkaXN0aWxsLmlu
dmFsaWQ+iJAEExYIADgWIQT//UKNRy+WIeDyRtvlVEB+yCwq9gUCawqWPQIbAwUL
CQgHAgYVCgkICwIEFgIDAQIeAQIXgAAKCRDlVEB+yCwq9lbSAQCzHG677CjQ75Gc
GM6rImfUpjvZYYLnPCSaRvrqvGy4RQD+IQYW3RbrBcZYAefxhVxpZ8Wx7CrfzXg0
LxjyHbidcA4=
=fdJ5
-----END PGP PUBLIC KEY BLOCK-----
)";

inline constexpr const char kTestRelease[] = R"(Origin: Distill Test
Label: Distill Test
Suite: testing-suite
Codename: testcode
Date: Sat, 01 Jun 2024 10:00:00 UTC
Valid-Until: Sat, 08 Jun 2024 10:00:00 UTC
Acquire-By-Hash: yes
Architectures: amd64 arm64
Components: main
Description: Test archive for distill
SHA256:
 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855        0 main/binary-amd64/Packages
 0000000000000000000000000000000000000000000000000000000000000001      123 main/binary-amd64/Packages.xz
)";

inline constexpr const char kTestInRelease[] = R"(-----BEGIN PGP SIGNED MESSAGE-----
Hash: SHA256

Origin: Distill Test
Label: Distill Test
Suite: testing-suite
Codename: testcode
Date: Sat, 01 Jun 2024 10:00:00 UTC
Valid-Until: Sat, 08 Jun 2024 10:00:00 UTC
Acquire-By-Hash: yes
Architectures: amd64 arm64
Components: main
Description: Test archive for distill
SHA256:
 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855        0 main/binary-amd64/Packages
 0000000000000000000000000000000000000000000000000000000000000001      123 main/binary-amd64/Packages.xz
-----BEGIN PGP SIGNATURE-----

iHUEARYIAB0WIQT//UKNRy+WIeDyRtvlVEB+yCwq9gUCawqWPQAKCRDlVEB+yCwq
9nI7AQC6Whk/m+WEXxt9jzRmeQmUNFGB+aM3dD/2pmgyG5AuSwEAwZu/YiFTPYRm
qKXRxmitiOJsVcJa8JRWgS7m5oCAsQY=
=yuqA
-----END PGP SIGNATURE-----
)";

inline constexpr const char kTestReleaseGpg[] = R"(-----BEGIN PGP SIGNATURE-----

iHUEABYIAB0WIQT//UKNRy+WIeDyRtvlVEB+yCwq9gUCawqWPQAKCRDlVEB+yCwq
9so/AP42pg1qhEFW6WXfSqmZennCbjqctWQ8hE4ZG88/knY8uwEAlkFoYghybI9j
8Iz4OKu2P8ChmgtlAgp1jKwW5eXqxQY=
=llI4
-----END PGP SIGNATURE-----
)";

// A whole (tiny) archive signed by the same key: an InRelease listing one
// uncompressed Packages index, that index, and the bytes its "hello" entry's
// SHA256 and Size describe (not a real .deb: only the download is checked).
inline constexpr const char kArchiveInRelease[] = R"(-----BEGIN PGP SIGNED MESSAGE-----
Hash: SHA256

Origin: Distill Test
Suite: stable
Codename: testcode
Date: Sat, 01 Jun 2024 10:00:00 UTC
Valid-Until: Sat, 08 Jun 2024 10:00:00 UTC
Acquire-By-Hash: yes
Architectures: amd64
Components: main
SHA256:
 b4b85fe6bc912d4fd7bfe12d875103851793b6089daca4e5b214392d5140781b 449 main/binary-amd64/Packages
-----BEGIN PGP SIGNATURE-----

iHUEARYIAB0WIQT//UKNRy+WIeDyRtvlVEB+yCwq9gUCawqZVgAKCRDlVEB+yCwq
9mXOAP9xLX+00NKTrWwfl4vN1eRGsakxIUAFsbkWE/CHMr9QZAEAwWzKp1lHHmbl
o6Tcv1cCzaWiqihMS4s28GBh3IiiRQE=
=VgdL
-----END PGP SIGNATURE-----
)";

inline constexpr const char kArchivePackages[] = R"(Package: hello
Version: 2.10-3
Architecture: amd64
Depends: libc6 (>= 2.34)
Filename: pool/main/h/hello/hello_2.10-3_amd64.deb
Size: 33
SHA256: 76692e68f102ac0fe77086c41f1a4b8994ec26afb69c53cf24631205018af7bf
Description: example package

Package: libc6
Version: 2.36-9
Architecture: amd64
Filename: pool/main/g/glibc/libc6_2.36-9_amd64.deb
Size: 4
SHA256: 0000000000000000000000000000000000000000000000000000000000000000
Description: GNU C Library
)";

inline constexpr const char kArchiveDebBytes[] = R"(fake deb bytes for distill tests
)";

}  // namespace distill::debian::testdata
