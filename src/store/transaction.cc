#include "store/store.h"

namespace vigil {

Status InTransaction(Store& store, const std::function<Status()>& work) {
  RETURN_IF_ERROR(store.Begin());
  Status st = work();
  if (st.ok()) {
    st = store.Commit();
  }
  if (!st.ok()) {
    store.Rollback();
  }
  return st;
}

}  // namespace vigil
