# The C entry points of modbus_reads.pyx, for the compiled decoder to cimport: each
# decodes the PDU pdu[:size] (its function code first).
cdef object read_request_at(const unsigned char* pdu, Py_ssize_t size)
cdef object registers_response_at(const unsigned char* pdu, Py_ssize_t size)
cdef object bits_response_at(const unsigned char* pdu, Py_ssize_t size, object quantity)
