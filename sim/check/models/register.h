// Registers over integers (nil for "never written"):
//  - register: read, write;
//  - cas-register: read, write, cas [old new]; initial value 0 (Knossos's
//    cas-register histories assume it) unless --init;
//  - etcd-cas-register: the same operations, initially nil, as in
//    shared/histories/porcupine/etcd (a read of nil, a timed-out write).
#pragma once

#include "sim/check/models.h"

namespace faultline {

ModelInfo RegisterModel();
ModelInfo CasRegisterModel();
ModelInfo EtcdCasRegisterModel();

}  // namespace faultline
